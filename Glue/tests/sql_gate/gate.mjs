// Spark SQL syntax gate: reads a JSON array of {"name", "body"} (the views as the host splits
// them) on stdin, parses each body with dt-sql-parser's SparkSQL grammar (Spark 3.x), and
// prints a JSON object {name: [syntax errors]} on stdout. Exit 0 when it ran, 2 on bad input.
// Usage: node gate.mjs <repo root> < views.json
import { register, createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import path from 'node:path';

register(new URL('./resolve-hook.mjs', import.meta.url));

const root = process.argv[2];
if (!root) {
  console.error('usage: node gate.mjs <repo root> < views.json');
  process.exit(2);
}
const require = createRequire(pathToFileURL(path.join(root, 'package.json')));
const { SparkSQL } = await import(pathToFileURL(require.resolve('dt-sql-parser')).href);

let views;
try {
  views = JSON.parse(readFileSync(0, 'utf8'));
} catch (e) {
  console.error(`views on stdin are not JSON: ${e.message}`);
  process.exit(2);
}
const parser = new SparkSQL();
const result = {};
for (const { name, body } of views) {
  result[name] = parser.validate(body).map((e) =>
    `line ${e.startLine} col ${e.startColumn}: ${e.message}`);
}
process.stdout.write(JSON.stringify(result));
