'use strict';
// Static checks of a Terraform tree without a terraform binary:
//   parse (hcl2json), references, provider schema, provider pinning, security policy rules.
// Every finding is { rule, file, where, message }; rules are listed in RULES below.
const fs = require('fs');
const path = require('path');
const { parse, getReferencesInExpression } = require('@cdktf/hcl2json');

const RULES = {
  parse: 'HCL that does not parse',
  reference: 'reference to an undeclared resource, data source, variable, local, module or module output',
  module_args: 'module call with an unknown or missing input variable',
  schema_type: 'resource or data source type not in the pinned AWS provider',
  schema_arg: 'argument or nested block not in the pinned AWS provider schema',
  schema_required: 'required argument missing',
  provider_pin: 'provider not declared in required_providers with a pinned version',
  s3_encryption: 'S3 bucket without a server-side encryption configuration',
  s3_public_access: 'S3 bucket without a complete public access block',
  iam_wildcard: 'IAM action "*" or "service:*"',
  open_ingress: 'ingress from 0.0.0.0/0 or ::/0',
  literal_password: 'a literal password',
};

const META_ARGS = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection', 'dynamic']);
const MODULE_META = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);
const SKIP_NAMESPACES = new Set(['path', 'terraform', 'each', 'count', 'self']);
const OPEN_CIDRS = ['0.0.0.0/0', '::/0'];

// ---------- parsing ----------
async function parseDir(dir) {
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.tf')).sort();
  const out = [];
  const findings = [];
  for (const f of files) {
    const file = path.join(dir, f);
    try {
      out.push({ file, json: await parse(f, fs.readFileSync(file, 'utf8')) });
    } catch (e) {
      findings.push({ rule: 'parse', file, where: f, message: String(e && e.message || e).split('\n')[0] });
    }
  }
  return { files: out, findings };
}

// The declarations of one module directory.
function declarations(files) {
  const d = { variable: {}, local: {}, resource: {}, data: {}, module: {}, output: {}, provider: [], required_providers: {} };
  for (const { file, json } of files) {
    for (const [n, v] of Object.entries(json.variable || {})) d.variable[n] = { file, body: v[0] };
    for (const l of json.locals || []) for (const n of Object.keys(l)) d.local[n] = { file };
    for (const kind of ['resource', 'data']) {
      for (const [type, byName] of Object.entries(json[kind] || {})) {
        for (const [name, bodies] of Object.entries(byName)) d[kind][`${type}.${name}`] = { file, type, name, body: bodies[0] };
      }
    }
    for (const [n, v] of Object.entries(json.module || {})) d.module[n] = { file, body: v[0] };
    for (const [n, v] of Object.entries(json.output || {})) d.output[n] = { file, body: v[0] };
    for (const [n, v] of Object.entries(json.provider || {})) for (const b of v) d.provider.push({ file, name: n, body: b });
    for (const t of json.terraform || []) {
      for (const rp of t.required_providers || []) Object.assign(d.required_providers, Object.fromEntries(Object.entries(rp).map(([k, v]) => [k, { ...v, file }])));
    }
  }
  return d;
}

// ---------- helpers ----------
function* strings(node, trail = []) {
  if (typeof node === 'string') yield { value: node, trail };
  else if (Array.isArray(node)) for (let i = 0; i < node.length; i++) yield* strings(node[i], trail.concat(i));
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) yield* strings(v, trail.concat(k));
}
// A whole-value expression ("${...}"): its literals are inspected separately (password = "..." inside).
const isExpression = s => s.trim().startsWith('${') && s.trim().endsWith('}');

// Does a semver constraint string accept version v ("6.25.0")?
function satisfies(constraint, v) {
  const num = s => s.split('.').map(Number);
  const cmp = (a, b) => { for (let i = 0; i < 3; i++) { const d = (a[i] || 0) - (b[i] || 0); if (d) return d; } return 0; };
  const ver = num(v);
  return constraint.split(',').every(part => {
    const m = part.trim().match(/^(~>|>=|<=|!=|=|>|<)?\s*([0-9][0-9.]*)$/);
    if (!m) return false;
    const [, op = '=', s] = m; const c = num(s); const r = cmp(ver, c);
    switch (op) {
      case '=': return r === 0;
      case '!=': return r !== 0;
      case '>': return r > 0;
      case '>=': return r >= 0;
      case '<': return r < 0;
      case '<=': return r <= 0;
      case '~>': {
        if (r < 0) return false;
        const parts = s.split('.').length; // ~> 6.25 allows 6.x >= 6.25; ~> 6.25.0 allows 6.25.x
        const upper = parts === 1 ? [c[0] + 1] : parts === 2 ? [c[0] + 1, 0, 0] : [c[0], c[1] + 1, 0];
        return cmp(ver, upper) < 0;
      }
    }
    return false;
  });
}
// Pinned: every part bounds the version from above (exact, "= x", "~> x.y", or has an upper bound).
function isPinned(constraint) {
  if (!constraint || typeof constraint !== 'string') return false;
  const parts = constraint.split(',').map(p => p.trim());
  return parts.some(p => /^(~>|=|<|<=)?\s*[0-9]/.test(p) && !/^(>|>=|!=)/.test(p));
}

// ---------- the checks of one module directory ----------
async function checkModule(dir, schema, ctx) {
  const { files, findings } = await parseDir(dir);
  const d = declarations(files);
  const add = (rule, file, where, message) => findings.push({ rule, file, where, message });

  // Providers: every provider prefix used by a resource/data type must be pinned in required_providers.
  const prefixes = new Set();
  for (const kind of ['resource', 'data']) for (const r of Object.values(d[kind])) prefixes.add(r.type.split('_')[0]);
  for (const p of d.provider) prefixes.add(p.name);
  for (const p of prefixes) {
    const rp = d.required_providers[p];
    const file = files[0] ? files[0].file : dir;
    if (!rp) { add('provider_pin', file, `provider ${p}`, `provider "${p}" is used but not declared in terraform.required_providers`); continue; }
    if (!isPinned(rp.version)) add('provider_pin', rp.file, `provider ${p}`, `provider "${p}" version "${rp.version || ''}" is not pinned`);
    if (p === 'aws' && rp.version && !satisfies(rp.version, schema.version)) add('provider_pin', rp.file, 'provider aws', `aws version constraint "${rp.version}" does not accept the pinned schema ${schema.version}`);
  }

  // References.
  const dynIters = new Set();
  for (const { json } of files) for (const { value, trail } of strings(json)) {
    // every dynamic block along the path, nested ones included (dynamic inside a dynamic's content)
    trail.forEach((t, i) => { if (t === 'dynamic' && trail[i + 1]) dynIters.add(trail[i + 1]); });
    if (trail[trail.length - 1] === 'iterator' && trail.includes('dynamic')) dynIters.add(value.replace(/^\$\{|\}$/g, ''));
  }
  const refCache = ctx.refCache;
  for (const { file, json } of files) {
    for (const { value, trail } of strings(json)) {
      if (!value.includes('${')) continue;
      if (trail.includes('lifecycle') && trail.includes('ignore_changes')) continue;
      if (trail[0] === 'variable' && trail[3] === 'type') continue; // type constraints, not references
      if (trail[trail.length - 1] === 'iterator') continue;
      let refs = refCache.get(value);
      if (!refs) {
        try { refs = (await getReferencesInExpression(path.basename(file), value)).map(r => r.value); }
        catch (e) { add('parse', file, trail.join('.'), `expression does not parse: ${value.slice(0, 80)}`); refs = []; }
        refCache.set(value, refs);
      }
      for (const ref of refs) {
        const seg = ref.split('.');
        const where = trail.slice(0, 3).join('.');
        const bad = msg => add('reference', file, where, `${ref}: ${msg}`);
        if (SKIP_NAMESPACES.has(seg[0])) continue;
        if (seg[0] === 'var') { if (!d.variable[seg[1]]) bad(`variable "${seg[1]}" is not declared`); continue; }
        if (seg[0] === 'local') { if (!d.local[seg[1]]) bad(`local "${seg[1]}" is not declared`); continue; }
        if (seg[0] === 'data') { if (!d.data[`${seg[1]}.${seg[2]}`]) bad(`data source ${seg[1]}.${seg[2]} is not declared`); continue; }
        if (seg[0] === 'module') {
          const m = d.module[seg[1]];
          if (!m) { bad(`module "${seg[1]}" is not declared`); continue; }
          const outs = ctx.moduleOutputs(dir, m.body.source);
          if (outs && seg[2] && !outs.has(seg[2])) bad(`module "${seg[1]}" has no output "${seg[2]}"`);
          continue;
        }
        if (dynIters.has(seg[0]) && ['value', 'key'].includes(seg[1])) continue;
        if (seg.length >= 2 && /^[a-z0-9]+_[a-z0-9_]+$/.test(seg[0])) {
          if (!d.resource[`${seg[0]}.${seg[1]}`]) bad(`resource ${seg[0]}.${seg[1]} is not declared`);
          continue;
        }
        bad('unknown name');
      }
    }
  }

  // Module calls: inputs must be declared variables; variables without default must be given.
  for (const [name, m] of Object.entries(d.module)) {
    const vars = ctx.moduleVariables(dir, m.body.source);
    if (!vars) { add('module_args', m.file, `module.${name}`, `module source "${m.body.source}" not found`); continue; }
    for (const k of Object.keys(m.body)) if (!MODULE_META.has(k) && !vars.has(k)) add('module_args', m.file, `module.${name}`, `argument "${k}" is not a variable of ${m.body.source}`);
    for (const [v, req] of vars) if (req && !(v in m.body)) add('module_args', m.file, `module.${name}`, `required variable "${v}" of ${m.body.source} is not set`);
  }

  // Schema: types, arguments, nested blocks, required arguments.
  function checkBody(body, shape, file, where, topLevel) {
    for (const [k, v] of Object.entries(body)) {
      if (topLevel && META_ARGS.has(k)) {
        if (k === 'dynamic') {
          for (const [bn, dyns] of Object.entries(v)) {
            if (!shape.b[bn]) { add('schema_arg', file, where, `dynamic block "${bn}" is not a block of this type`); continue; }
            for (const dyn of dyns) for (const c of dyn.content || []) checkBody(c, shape.b[bn], file, `${where}.${bn}`, true);
          }
        }
        continue;
      }
      if (k === 'dynamic' && !topLevel) {
        for (const [bn, dyns] of Object.entries(v)) {
          if (!shape.b[bn]) { add('schema_arg', file, where, `dynamic block "${bn}" is not a block of this type`); continue; }
          for (const dyn of dyns) for (const c of dyn.content || []) checkBody(c, shape.b[bn], file, `${where}.${bn}`, false);
        }
        continue;
      }
      if (shape.b[k]) {
        const items = Array.isArray(v) ? v : [v];
        for (const it of items) if (it && typeof it === 'object' && !Array.isArray(it)) checkBody(it, shape.b[k], file, `${where}.${k}`, false);
        continue;
      }
      if (!shape.a.includes(k)) add('schema_arg', file, where, `"${k}" is not an argument or block of ${where.split('.').slice(0, 2).join('.')} in aws provider ${schema.version}`);
    }
    const present = new Set(Object.keys(body).concat(Object.keys(body.dynamic || {})));
    for (const r of shape.r) if (!present.has(r)) add('schema_required', file, where, `required argument "${r}" is missing`);
  }
  for (const kind of ['resource', 'data']) {
    for (const [id, r] of Object.entries(d[kind])) {
      if (!r.type.startsWith('aws_')) continue;
      const shape = schema[kind][r.type];
      const where = `${kind === 'data' ? 'data.' : ''}${id}`;
      if (!shape) { add('schema_type', r.file, where, `${kind === 'data' ? 'data source' : 'resource'} type "${r.type}" does not exist in aws provider ${schema.version}`); continue; }
      checkBody(r.body, shape, r.file, where, true);
    }
  }
  for (const p of d.provider) if (p.name === 'aws') {
    const body = Object.fromEntries(Object.entries(p.body).filter(([k]) => k !== 'alias'));
    checkBody(body, schema.provider_config, p.file, 'provider.aws', false);
  }

  policyRules(d, files, add);
  return { findings, declarations: d };
}

// ---------- policy rules ----------
function policyRules(d, files, add) {
  const byType = t => Object.values(d.resource).filter(r => r.type === t);
  // bucket = aws_s3_bucket.<name>.id / .bucket, also aws_s3_bucket.<name>[each.key].id for for_each buckets
  const refsBucket = (r, name) => typeof r.body.bucket === 'string' && new RegExp(`aws_s3_bucket\\.${name}(\\[[^\\]]*\\])?\\.(id|bucket)\\b`).test(r.body.bucket);

  for (const b of byType('aws_s3_bucket')) {
    const sse = byType('aws_s3_bucket_server_side_encryption_configuration').find(r => refsBucket(r, b.name)
      && (r.body.rule || []).some(rule => (rule.apply_server_side_encryption_by_default || []).some(x => x.sse_algorithm)));
    if (!sse && !b.body.server_side_encryption_configuration) add('s3_encryption', b.file, `aws_s3_bucket.${b.name}`, 'no aws_s3_bucket_server_side_encryption_configuration with a default sse_algorithm for this bucket');
    const pab = byType('aws_s3_bucket_public_access_block').find(r => refsBucket(r, b.name));
    const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
    if (!pab) add('s3_public_access', b.file, `aws_s3_bucket.${b.name}`, 'no aws_s3_bucket_public_access_block for this bucket');
    else { const off = flags.filter(f => pab.body[f] !== true); if (off.length) add('s3_public_access', pab.file, `aws_s3_bucket_public_access_block.${pab.name}`, `not true: ${off.join(', ')}`); }
  }

  // IAM: structured policy documents, and Action/NotAction in jsonencode()/heredoc JSON anywhere.
  const wildcard = a => a === '*' || /^[A-Za-z0-9-]+:\*$/.test(a);
  for (const [id, r] of Object.entries(d.data)) {
    if (r.type !== 'aws_iam_policy_document') continue;
    for (const st of r.body.statement || []) for (const key of ['actions', 'not_actions']) {
      for (const a of [].concat(st[key] || [])) if (typeof a === 'string' && wildcard(a)) add('iam_wildcard', r.file, `data.${id}`, `${key} contains "${a}"`);
    }
  }
  const actionRe = /"?(?:Not)?Action"?\s*[:=]\s*(\[[^\]]*\]|"[^"]*")/g;
  for (const { file, json } of files) for (const { value, trail } of strings(json)) {
    for (const m of value.matchAll(actionRe)) {
      for (const q of m[1].matchAll(/"([^"]*)"/g)) if (wildcard(q[1])) add('iam_wildcard', file, trail.slice(0, 3).join('.'), `policy JSON has action "${q[1]}"`);
    }
  }

  // Ingress from anywhere.
  const openIn = v => [].concat(v || []).some(c => OPEN_CIDRS.includes(c));
  for (const r of byType('aws_security_group')) {
    for (const ing of [].concat(r.body.ingress || [])) if (openIn(ing.cidr_blocks) || openIn(ing.ipv6_cidr_blocks)) add('open_ingress', r.file, `aws_security_group.${r.name}`, 'ingress from 0.0.0.0/0 or ::/0');
    for (const dyn of ((r.body.dynamic || {}).ingress || [])) for (const c of dyn.content || []) if (openIn(c.cidr_blocks) || openIn(c.ipv6_cidr_blocks)) add('open_ingress', r.file, `aws_security_group.${r.name}`, 'dynamic ingress from 0.0.0.0/0 or ::/0');
  }
  for (const r of byType('aws_vpc_security_group_ingress_rule')) if (openIn(r.body.cidr_ipv4) || openIn(r.body.cidr_ipv6)) add('open_ingress', r.file, `aws_vpc_security_group_ingress_rule.${r.name}`, 'ingress from 0.0.0.0/0 or ::/0');
  for (const r of byType('aws_security_group_rule')) if (r.body.type === 'ingress' && (openIn(r.body.cidr_blocks) || openIn(r.body.ipv6_cidr_blocks))) add('open_ingress', r.file, `aws_security_group_rule.${r.name}`, 'ingress from 0.0.0.0/0 or ::/0');
  // A variable that could feed an ingress rule must not default to "anywhere" either.
  for (const [n, v] of Object.entries(d.variable)) {
    for (const { value } of strings(v.body.default)) if (OPEN_CIDRS.includes(value)) add('open_ingress', v.file, `var.${n}`, `default contains ${value}`);
  }

  // Literal passwords: password-like arguments with literal text, password variables with a default,
  // and password = "..." inside jsonencode()/heredocs.
  const pwKey = k => /(^|_)(password|passwd|pwd)$|^secret_string$|^master_password/i.test(k);
  for (const { file, json } of files) for (const { value, trail } of strings(json)) {
    const key = [...trail].reverse().find(t => typeof t === 'string');
    const where = trail.slice(0, 3).join('.');
    if (trail[0] === 'variable') continue;
    if (pwKey(key) && value.trim() !== '' && !isExpression(value)) add('literal_password', file, where, `"${key}" has a literal value`);
    for (const m of value.matchAll(/"?(password|passwd)"?\s*[:=]\s*"([^"$\n]+)"/gi)) add('literal_password', file, where, `literal ${m[1]} in an expression`);
  }
  for (const [n, v] of Object.entries(d.variable)) if (/password|passwd/i.test(n) && 'default' in v.body && v.body.default !== null) add('literal_password', v.file, `var.${n}`, 'a password variable has a default value');
}

// ---------- .tfvars files ----------
async function checkTfvars(file) {
  const findings = [];
  let json;
  try { json = await parse(path.basename(file).replace(/\.tfvars$/, '.tf'), fs.readFileSync(file, 'utf8')); }
  catch (e) { return [{ rule: 'parse', file, where: path.basename(file), message: String(e.message || e).split('\n')[0] }]; }
  for (const { value, trail } of strings(json)) {
    const key = [...trail].reverse().find(t => typeof t === 'string') || '';
    if (/password|passwd/i.test(trail.join('.'))) findings.push({ rule: 'literal_password', file, where: String(key), message: 'password value in a tfvars file' });
    if (OPEN_CIDRS.includes(value)) findings.push({ rule: 'open_ingress', file, where: trail.join('.'), message: `${value} in a tfvars file` });
  }
  return findings;
}

// ---------- a whole tree (root + local modules) ----------
async function checkTree(root, schema) {
  const ctx = { refCache: new Map() };
  const varCache = new Map();
  const loadVars = async dirAbs => {
    if (varCache.has(dirAbs)) return varCache.get(dirAbs);
    let res = null;
    if (fs.existsSync(dirAbs)) {
      const { files } = await parseDir(dirAbs);
      const dd = declarations(files);
      res = { vars: new Map(Object.entries(dd.variable).map(([k, v]) => [k, !('default' in v.body)])), outputs: new Set(Object.keys(dd.output)) };
    }
    varCache.set(dirAbs, res);
    return res;
  };
  // Pre-load every local module so the synchronous lookups below work.
  const dirs = [];
  (function walk(dir) {
    if (fs.readdirSync(dir).some(f => f.endsWith('.tf'))) dirs.push(dir);
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && !['tests', '.terraform', 'node_modules', 'files', 'templates'].includes(e.name)) walk(path.join(dir, e.name));
    }
  })(root);
  for (const dir of dirs) await loadVars(dir);
  const resolve = (dir, source) => (typeof source === 'string' && source.startsWith('.')) ? path.resolve(dir, source) : null;
  ctx.moduleOutputs = (dir, source) => { const r = varCache.get(resolve(dir, source)); return r ? r.outputs : null; };
  ctx.moduleVariables = (dir, source) => { const p = resolve(dir, source); if (!p) return new Map(); const r = varCache.get(p); return r ? r.vars : null; };
  const findings = [];
  for (const dir of dirs) {
    const res = await checkModule(dir, schema, ctx);
    findings.push(...res.findings);
  }
  const tfvars = [];
  (function walk(dir) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && !['tests', '.terraform'].includes(e.name)) walk(p);
      else if (e.isFile() && e.name.endsWith('.tfvars')) tfvars.push(p);
    }
  })(root);
  for (const f of tfvars) findings.push(...await checkTfvars(f));
  return { findings, dirs };
}

module.exports = { RULES, checkTree, checkModule, satisfies, isPinned, parseDir, declarations };
