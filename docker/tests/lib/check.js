'use strict';
// Static checks of the container files without a Docker engine: docker/compose.yaml (+ .env.example)
// and the Dockerfile (+ .dockerignore). Every finding is { rule, file, where, message }.
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const RULES = {
  compose_parse: 'compose file that does not parse, or has no services',
  compose_missing_file: 'build context, Dockerfile, bind-mount source or env_file that does not exist',
  compose_undefined: 'reference to an undefined service, network or volume',
  compose_env_example: 'variable interpolated without an .env.example entry, or an .env.example with a secret value',
  compose_trust_exposed: 'PostgreSQL trust authentication on a published port',
  dockerfile_parse: 'Dockerfile that does not parse (no FROM, unknown instruction)',
  dockerfile_copy_source: 'COPY/ADD source missing from the build context or excluded by .dockerignore',
  dockerfile_stage: '--from= or FROM naming a stage that is not defined before it',
  dockerfile_user: 'final stage without USER, or running as root',
  dockerfile_healthcheck: 'final stage without HEALTHCHECK',
  dockerfile_expose: 'final stage does not EXPOSE 8080',
  dockerfile_base_pin: 'base image without a tag or with :latest',
  literal_secret: 'a literal password, secret, token or key',
};

// ---------------------------------------------------------------- secrets
// Names that hold credentials (env vars, build args, compose keys).
const SECRET_NAME = /(^|[_.-])(PASS(WORD)?|PASSWD|PWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY(_ID)?|PRIVATE_?KEY|CREDENTIALS?)($|[_.-])|SECRET_ACCESS_KEY|SECRETKEY|PASSWORD/i;
// A value that is not a literal: empty, an interpolation (${X}, ${X:?msg}, $X), or a file reference.
const isIndirect = v => v === undefined || v === null || String(v).trim() === '' || /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-?+][^}]*)?\}$/.test(String(v).trim()) || /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(String(v).trim());
// Credentials inside a value: connection strings and URLs.
const INLINE_SECRETS = [
  /(?:^|;)\s*(?:password|pwd)\s*=\s*([^;$\s][^;]*)/i,            // Npgsql/ADO: Password=...
  /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:([^@\s$]+)@/i,               // scheme://user:pass@host
];
function secretFindings(name, value, file, where) {
  const out = [];
  const v = value === undefined || value === null ? '' : String(value);
  if (SECRET_NAME.test(name) && !isIndirect(v) && !/_FILE$/i.test(name)) out.push({ rule: 'literal_secret', file, where, message: `${name} has a literal value` });
  for (const re of INLINE_SECRETS) { const m = v.match(re); if (m && !isIndirect(m[1])) out.push({ rule: 'literal_secret', file, where, message: `${name} contains a literal credential` }); }
  return out;
}

// ---------------------------------------------------------------- compose
const exists = p => fs.existsSync(p);
const envEntries = env => Array.isArray(env)
  ? env.map(e => { const s = String(e); const i = s.indexOf('='); return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)]; })
  : Object.entries(env || {});
const listOrKeys = v => Array.isArray(v) ? v.map(x => typeof x === 'string' ? x : (x && (x.source || x.target)) || '') : Object.keys(v || {});

// Variables interpolated in the raw text: ${NAME...} and $NAME ($$ escapes excluded).
function interpolated(text) {
  const names = new Map();
  for (const m of text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?([^}]*)\}/g)) {
    const required = m[2] === '?' || m[2] === ':?';
    const hasDefault = m[2] === '-' || m[2] === ':-';
    const prev = names.get(m[1]) || { required: false, hasDefault: false };
    names.set(m[1], { required: prev.required || required, hasDefault: prev.hasDefault || hasDefault });
  }
  for (const m of text.matchAll(/(?<!\$)\$([A-Za-z_][A-Za-z0-9_]*)/g)) if (!names.has(m[1])) names.set(m[1], { required: false, hasDefault: false });
  return names;
}

function parseEnvFile(text) {
  const out = new Map();
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const m = t.match(/^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/);
    if (m) out.set(m[1], m[2].replace(/^(['"])(.*)\1$/, '$2'));
  }
  return out;
}

function checkCompose(composeFile, { envExample = path.join(path.dirname(composeFile), '.env.example') } = {}) {
  const findings = [];
  const add = (rule, where, message, file = composeFile) => findings.push({ rule, file, where, message });
  const dir = path.dirname(composeFile);
  let text, doc;
  try {
    text = fs.readFileSync(composeFile, 'utf8');
    const parsed = YAML.parseDocument(text, { merge: true, uniqueKeys: true });
    if (parsed.errors.length) throw new Error(parsed.errors[0].message.split('\n')[0]);
    doc = parsed.toJS({ maxAliasCount: 100 });
  } catch (e) {
    add('compose_parse', path.basename(composeFile), String(e.message || e).split('\n')[0]);
    return findings;
  }
  if (!doc || typeof doc !== 'object' || !doc.services || typeof doc.services !== 'object' || !Object.keys(doc.services).length) {
    add('compose_parse', 'services', 'no services defined');
    return findings;
  }
  const services = doc.services;
  const networks = new Set(Object.keys(doc.networks || {}).concat('default'));
  const volumes = new Set(Object.keys(doc.volumes || {}));

  for (const [name, svc] of Object.entries(services)) {
    const where = `services.${name}`;
    if (!svc || typeof svc !== 'object') { add('compose_parse', where, 'service is not a mapping'); continue; }
    if (!svc.image && !svc.build) add('compose_parse', where, 'service has neither image nor build');
    // build context and Dockerfile
    if (svc.build) {
      const b = typeof svc.build === 'string' ? { context: svc.build } : svc.build;
      const ctx = path.resolve(dir, b.context || '.');
      if (!/^[a-z]+:\/\//i.test(b.context || '')) {
        if (!exists(ctx) || !fs.statSync(ctx).isDirectory()) add('compose_missing_file', `${where}.build.context`, `build context ${b.context} does not exist`);
        else {
          const df = path.resolve(ctx, b.dockerfile || 'Dockerfile');
          if (!exists(df)) add('compose_missing_file', `${where}.build.dockerfile`, `Dockerfile ${path.relative(dir, df)} does not exist`);
        }
      }
    }
    // env_file
    for (const ef of [].concat(svc.env_file || [])) {
      const p = typeof ef === 'string' ? ef : ef.path; const required = typeof ef === 'string' ? true : ef.required !== false;
      if (required && !exists(path.resolve(dir, p))) add('compose_missing_file', `${where}.env_file`, `env_file ${p} does not exist`);
    }
    // volumes: bind mounts must exist, named volumes must be declared
    for (const v of [].concat(svc.volumes || [])) {
      let source, type;
      if (typeof v === 'string') { const parts = v.split(':'); source = parts.length > 1 ? parts[0] : undefined; type = source && /^[./~]/.test(source) ? 'bind' : 'volume'; }
      else { source = v.source; type = v.type || 'volume'; }
      if (!source) continue; // anonymous volume
      if (type === 'bind') { if (!source.startsWith('~') && !exists(path.resolve(dir, source))) add('compose_missing_file', `${where}.volumes`, `bind-mount source ${source} does not exist`); }
      else if (type === 'volume' && !volumes.has(source)) add('compose_undefined', `${where}.volumes`, `volume "${source}" is not declared under volumes:`);
    }
    // depends_on / links / network_mode service:x / volumes_from
    for (const dep of listOrKeys(svc.depends_on)) if (!services[dep]) add('compose_undefined', `${where}.depends_on`, `service "${dep}" is not defined`);
    for (const l of [].concat(svc.links || [])) { const dep = String(l).split(':')[0]; if (!services[dep]) add('compose_undefined', `${where}.links`, `service "${dep}" is not defined`); }
    for (const vf of [].concat(svc.volumes_from || [])) { const dep = String(vf).split(':')[0]; if (!dep.startsWith('container') && !services[dep]) add('compose_undefined', `${where}.volumes_from`, `service "${dep}" is not defined`); }
    if (typeof svc.network_mode === 'string' && svc.network_mode.startsWith('service:') && !services[svc.network_mode.slice(8)]) add('compose_undefined', `${where}.network_mode`, `service "${svc.network_mode.slice(8)}" is not defined`);
    for (const n of listOrKeys(svc.networks)) if (!networks.has(n)) add('compose_undefined', `${where}.networks`, `network "${n}" is not declared under networks:`);
    // secrets in the environment (literal values), and in other string fields such as command
    for (const [k, v] of envEntries(svc.environment)) findings.push(...secretFindings(k, v, composeFile, `${where}.environment.${k}`));
    for (const [i, c] of [].concat(svc.command || [], svc.entrypoint || []).entries()) findings.push(...secretFindings('', c, composeFile, `${where}.command[${i}]`));
    for (const [k, v] of Object.entries(svc.build && svc.build.args ? Object.fromEntries(envEntries(svc.build.args)) : {})) findings.push(...secretFindings(k, v, composeFile, `${where}.build.args.${k}`));
    // trust authentication must stay on the private network
    const env = Object.fromEntries(envEntries(svc.environment));
    if (String(env.POSTGRES_HOST_AUTH_METHOD || '').toLowerCase() === 'trust' && [].concat(svc.ports || []).length) add('compose_trust_exposed', `${where}.ports`, 'POSTGRES_HOST_AUTH_METHOD=trust with published ports: keep a trust-auth database on the private network');
  }

  // Interpolated variables: documented in .env.example; .env.example holds no secret values.
  const vars = interpolated(text);
  if (vars.size) {
    if (!exists(envExample)) add('compose_env_example', path.basename(envExample), `${path.basename(envExample)} does not exist but the compose file interpolates ${[...vars.keys()].join(', ')}`);
    else {
      const example = parseEnvFile(fs.readFileSync(envExample, 'utf8'));
      for (const [n] of vars) if (!example.has(n)) add('compose_env_example', n, `\${${n}} is not listed in ${path.basename(envExample)}`);
      for (const [k, v] of example) if (SECRET_NAME.test(k) && v.trim() !== '') add('compose_env_example', k, `${path.basename(envExample)} gives ${k} a value: leave secrets empty`, envExample);
      for (const [n, info] of vars) if (SECRET_NAME.test(n) && !info.required) add('compose_env_example', n, `\${${n}} is a secret: interpolate it as \${${n}:?message} so compose refuses to start without it`);
    }
  }
  return findings;
}

// ---------------------------------------------------------------- Dockerfile
const INSTRUCTIONS = new Set(['FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL']);

// Logical lines: continuation backslashes joined, comments and heredoc bodies skipped.
function dockerfileLines(text) {
  const out = [];
  const raw = text.split('\n');
  let cur = null; let start = 0; let heredoc = null;
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i];
    if (heredoc) { if (line.trim() === heredoc) heredoc = null; continue; }
    if (cur === null && /^\s*#/.test(line)) continue;
    if (cur !== null && /^\s*#/.test(line)) continue; // comments inside continuations
    if (cur === null) { cur = ''; start = i + 1; }
    const t = line.replace(/\s+$/, '');
    if (t.endsWith('\\')) { cur += t.slice(0, -1) + ' '; continue; }
    cur += t;
    if (cur.trim()) {
      out.push({ line: start, text: cur.trim() });
      const h = cur.match(/<<-?["']?([A-Za-z_]+)["']?/); if (h && /^(RUN|COPY)\s/i.test(cur.trim())) heredoc = h[1];
    }
    cur = null;
  }
  if (cur && cur.trim()) out.push({ line: start, text: cur.trim() });
  return out;
}

// Splits flags (--from=x) from the arguments of COPY/ADD (JSON array form too).
function copyArgs(rest) {
  const flags = {}; let args;
  let s = rest.trim();
  while (s.startsWith('--')) { const m = s.match(/^--([a-z-]+)(?:=(\S*))?\s*/); if (!m) break; flags[m[1]] = m[2] === undefined ? true : m[2]; s = s.slice(m[0].length); }
  if (s.startsWith('[')) { try { args = JSON.parse(s); } catch { args = null; } }
  else args = s.split(/\s+/).filter(Boolean);
  return { flags, args };
}

// .dockerignore: Go filepath.Match-like globs with **, ! exceptions, last match wins.
function dockerignore(contextDir) {
  const file = path.join(contextDir, '.dockerignore');
  if (!exists(file)) return () => false;
  const rules = fs.readFileSync(file, 'utf8').split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#')).map(l => {
    const negate = l.startsWith('!'); let p = (negate ? l.slice(1) : l).trim().replace(/^\/+/, '').replace(/\/+$/, '');
    const re = '^' + p.split('/').map(seg => seg === '**' ? '(?:.*)' : seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')).join('/').replace(/\(\?:\.\*\)\//g, '(?:.*/)?') + '(?:/.*)?$';
    return { negate, re: new RegExp(re) };
  });
  return rel => { let ignored = false; for (const r of rules) if (r.re.test(rel)) ignored = !r.negate; return ignored; };
}

function globExists(contextDir, src) {
  if (!/[*?[]/.test(src)) return exists(path.join(contextDir, src)) ? [src] : [];
  const dir = path.dirname(src); const base = path.basename(src);
  if (/[*?[]/.test(dir) || !exists(path.join(contextDir, dir))) return [];
  const re = new RegExp('^' + base.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return fs.readdirSync(path.join(contextDir, dir)).filter(f => re.test(f)).map(f => path.join(dir, f));
}

function checkDockerfile(dockerfile, contextDir) {
  const findings = [];
  const add = (rule, where, message) => findings.push({ rule, file: dockerfile, where, message });
  const lines = dockerfileLines(fs.readFileSync(dockerfile, 'utf8'));
  const ignored = dockerignore(contextDir);
  const stages = []; // { name, index, instructions: [] }
  const args = new Map(); // global ARGs with defaults (for FROM ${X})
  for (const { line, text } of lines) {
    const m = text.match(/^([A-Za-z]+)\s*(.*)$/);
    const instr = m ? m[1].toUpperCase() : '';
    const rest = m ? m[2] : '';
    const where = `line ${line}`;
    if (!INSTRUCTIONS.has(instr)) { add('dockerfile_parse', where, `unknown instruction "${text.split(/\s/)[0]}"`); continue; }
    if (instr === 'FROM') {
      const f = rest.replace(/--platform=\S+\s+/, '').split(/\s+/);
      const image = f[0].replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, n) => args.get(n) || '');
      const name = f[1] && f[1].toUpperCase() === 'AS' ? f[2] : null;
      if (name && stages.some(s => s.name === name.toLowerCase())) add('dockerfile_stage', where, `stage "${name}" is defined twice`);
      const isStage = stages.some(s => s.name === image.toLowerCase());
      if (!isStage && image !== 'scratch') {
        const lastSeg = image.split('/').pop();
        if (!lastSeg.includes(':') && !image.includes('@')) {
          if (!image.includes('/') && !image.includes('.')) {
            // a bare word: either an image without a tag or a stage that is not defined (yet)
            add('dockerfile_stage', where, `FROM ${image}: no stage of that name is defined before this line (and an image needs a tag)`);
          } else add('dockerfile_base_pin', where, `FROM ${image} has no tag`);
        } else if (/:latest$/.test(lastSeg)) add('dockerfile_base_pin', where, `FROM ${image} uses :latest`);
      }
      stages.push({ name: name ? name.toLowerCase() : null, index: stages.length, line, instructions: [] });
      continue;
    }
    if (!stages.length) {
      if (instr === 'ARG') {
        const a = rest.match(/^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/);
        if (a) args.set(a[1], (a[2] || '').replace(/^"(.*)"$/, '$1'));
        if (a && SECRET_NAME.test(a[1])) add('literal_secret', `${where} ARG ${a[1]}`, `build argument ${a[1]} would be stored in the image history; use RUN --mount=type=secret`);
        continue;
      }
      add('dockerfile_parse', where, `${instr} before the first FROM`); continue;
    }
    const stage = stages[stages.length - 1];
    stage.instructions.push({ instr, rest, line });
    if (instr === 'COPY' || instr === 'ADD') {
      const { flags, args: a } = copyArgs(rest);
      if (!a || a.length < 2) { add('dockerfile_parse', where, `${instr} needs a source and a destination`); continue; }
      if (flags.from !== undefined) {
        const from = String(flags.from).toLowerCase();
        const known = stages.slice(0, -1).some(s => s.name === from) || (/^\d+$/.test(from) && Number(from) < stages.length - 1);
        const looksLikeImage = /[:/@.]/.test(from);
        if (!known && !looksLikeImage) add('dockerfile_stage', where, `--from=${flags.from}: no stage of that name is defined before this line`);
        continue;
      }
      if (a[0].startsWith('<<')) continue; // heredoc
      for (const src of a.slice(0, -1)) {
        if (/^https?:\/\//.test(src) || /^git@/.test(src)) continue;
        const rel = path.normalize(src).replace(/^(\.\/)+/, '').replace(/\/$/, '');
        if (rel.startsWith('..')) { add('dockerfile_copy_source', where, `${instr} ${src} points outside the build context`); continue; }
        const matches = globExists(contextDir, rel === '.' ? '.' : rel);
        if (!matches.length) add('dockerfile_copy_source', where, `${instr} ${src}: not found in the build context`);
        else if (rel !== '.' && matches.every(p => ignored(p.replace(/\\/g, '/')))) add('dockerfile_copy_source', where, `${instr} ${src}: excluded by .dockerignore`);
      }
    }
    if (instr === 'ENV') {
      const pairs = /^[A-Za-z_][A-Za-z0-9_.-]*=/.test(rest)
        ? [...rest.matchAll(/([A-Za-z_][A-Za-z0-9_.-]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)].map(x => [x[1], x[2].replace(/^(['"])(.*)\1$/, '$2')])
        : [[rest.split(/\s+/)[0], rest.split(/\s+/).slice(1).join(' ')]];
      for (const [k, v] of pairs) findings.push(...secretFindings(k, v, dockerfile, `${where} ENV ${k}`));
    }
    if (instr === 'ARG') {
      const a = rest.match(/^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/);
      // A secret build argument ends up in the image history even without a default: use RUN --mount=type=secret.
      if (a && SECRET_NAME.test(a[1])) add('literal_secret', `${where} ARG ${a[1]}`, `build argument ${a[1]} would be stored in the image history; use RUN --mount=type=secret`);
    }
    if (instr === 'LABEL') for (const x of rest.matchAll(/([A-Za-z_][A-Za-z0-9_.-]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) findings.push(...secretFindings(x[1], x[2].replace(/^"(.*)"$/, '$1'), dockerfile, `${where} LABEL ${x[1]}`));
  }
  if (!stages.length) { add('dockerfile_parse', 'FROM', 'no FROM instruction'); return findings; }

  const final = stages[stages.length - 1];
  const of = i => final.instructions.filter(x => x.instr === i);
  const users = of('USER');
  if (!users.length) add('dockerfile_user', `stage ${final.name || final.index}`, 'the final stage has no USER: it would run as root');
  else {
    const u = users[users.length - 1].rest.trim().split(':')[0];
    if (u === 'root' || u === '0' || u === '') add('dockerfile_user', `line ${users[users.length - 1].line}`, `USER ${users[users.length - 1].rest.trim()} is root`);
  }
  const hc = of('HEALTHCHECK');
  if (!hc.length || /^NONE\b/i.test(hc[hc.length - 1].rest.trim())) add('dockerfile_healthcheck', `stage ${final.name || final.index}`, 'the final stage has no HEALTHCHECK');
  else if (!/\bCMD\b/i.test(hc[hc.length - 1].rest)) add('dockerfile_healthcheck', `line ${hc[hc.length - 1].line}`, 'HEALTHCHECK without CMD');
  const ports = of('EXPOSE').flatMap(x => x.rest.split(/\s+/)).map(p => p.split('/')[0]);
  if (!ports.includes('8080')) add('dockerfile_expose', `stage ${final.name || final.index}`, 'the final stage does not EXPOSE 8080');
  return findings;
}

// ---------------------------------------------------------------- plain-text scan (scripts, READMEs, examples)
// KEY=value / KEY: value lines whose key names a credential and whose value is a literal.
function scanText(file) {
  const findings = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (/^\s*#/.test(line)) return;
    for (const m of line.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*[:=]\s*("[^"]*"|'[^']*'|[^\s"'#]+)/g)) {
      const k = m[1]; const v = m[2].replace(/^(['"])(.*)\1$/, '$2');
      if (!SECRET_NAME.test(k) || /_FILE$/i.test(k)) continue;
      if (v.startsWith('$') || v.startsWith('<') || v === '' || /^[?-]/.test(v)) continue;
      findings.push({ rule: 'literal_secret', file, where: `line ${i + 1}`, message: `${k} has a literal value` });
    }
    for (const re of INLINE_SECRETS) { const m = line.match(re); if (m && !m[1].trim().startsWith('$') && !/^<[^>]*>$/.test(m[1].trim())) findings.push({ rule: 'literal_secret', file, where: `line ${i + 1}`, message: 'a literal credential in a connection string or URL' }); }
  });
  return findings;
}

module.exports = { RULES, checkCompose, checkDockerfile, scanText, dockerfileLines, dockerignore, interpolated, parseEnvFile };
