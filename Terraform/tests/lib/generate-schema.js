#!/usr/bin/env node
// Extracts a compact argument schema of the pinned AWS provider from the jsii manifest of
// @cdktf/provider-aws (131 MB) so the checks do not parse it on every run.
// Usage: node generate-schema.js [out.json]   (default: ../.cache/aws-provider.json)
// Extracted at the start of every test run (about 2 s), never committed.
'use strict';
const fs = require('fs');
const path = require('path');

const pkgDir = path.dirname(require.resolve('@cdktf/provider-aws/package.json', { paths: [path.resolve(__dirname, '../../..')] }));

function extract() {
  const jsii = JSON.parse(fs.readFileSync(path.join(pkgDir, '.jsii'), 'utf8'));
  const types = jsii.types;
  const anchorRe = /\/docs\/(resources|data-sources)\/[a-z0-9_]+#([a-z0-9_]+) /;
  const snake = s => s.replace(/[A-Z]/g, c => '_' + c.toLowerCase());

  // The fqn of a nested block type referenced by a property type, or null for a plain attribute.
  function blockFqn(t) {
    if (!t) return null;
    if (t.fqn) return types[t.fqn] && types[t.fqn].datatype ? t.fqn : null;
    if (t.collection) return blockFqn(t.collection.elementtype);
    if (t.union) { for (const u of t.union.types) { const f = blockFqn(u); if (f) return f; } }
    return null;
  }
  function argName(p) {
    const d = `${p.docs && p.docs.summary || ''} ${p.docs && p.docs.remarks || ''}`;
    const m = d.match(anchorRe);
    return m ? m[2] : snake(p.name);
  }
  // { a: [attributes], r: [required], b: { block: {...} } }
  function shape(fqn, depth) {
    const t = types[fqn];
    const out = { a: [], r: [], b: {} };
    const props = [];
    // Config interfaces extend cdktf.TerraformMetaArguments (count, for_each, ...) handled by the checker.
    const seen = new Set();
    (function collect(tt) {
      for (const p of tt.properties || []) if (!seen.has(p.name)) { seen.add(p.name); props.push(p); }
      for (const i of tt.interfaces || []) if (types[i]) collect(types[i]);
    })(t);
    for (const p of props) {
      const name = argName(p);
      const bf = blockFqn(p.type);
      if (bf && depth < 12) out.b[name] = shape(bf, depth + 1);
      else out.a.push(name);
      if (!p.optional) out.r.push(name);
    }
    out.a.sort(); out.r.sort();
    out.b = Object.fromEntries(Object.entries(out.b).sort(([x], [y]) => x.localeCompare(y)));
    return out;
  }

  const result = { provider: 'hashicorp/aws', version: null, source: `@cdktf/provider-aws ${jsii.version}`, provider_config: null, resource: {}, data: {} };
  const linkRe = /registry\.terraform\.io\/providers\/hashicorp\/aws\/([0-9.]+)\/docs\/(resources|data-sources)\/[a-z0-9_]+ (aws_[a-z0-9_]+)\}/;
  for (const [fqn, t] of Object.entries(types)) {
    if (t.kind !== 'class' || !t.initializer) continue;
    const cfg = (t.initializer.parameters || []).find(p => p.name === 'config');
    if (!cfg || !cfg.type.fqn) continue;
    if (t.base === 'cdktf.TerraformProvider') {
      result.provider_config = shape(cfg.type.fqn, 0);
      continue;
    }
    const m = (t.docs && t.docs.summary || '').match(linkRe);
    if (!m) continue;
    result.version = m[1];
    const kind = t.base === 'cdktf.TerraformDataSource' ? 'data' : t.base === 'cdktf.TerraformResource' ? 'resource' : null;
    if (!kind) continue;
    result[kind][m[3]] = shape(cfg.type.fqn, 0);
  }
  for (const k of ['resource', 'data']) result[k] = Object.fromEntries(Object.entries(result[k]).sort(([x], [y]) => x.localeCompare(y)));
  return result;
}

module.exports = { extract };

if (require.main === module) {
  const out = process.argv[2] || path.join(__dirname, '..', '.cache', 'aws-provider.json');
  const s = extract();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(s) + '\n');
  console.log(`wrote ${out}: provider ${s.version}, ${Object.keys(s.resource).length} resources, ${Object.keys(s.data).length} data sources`);
}
