'use strict';
// A small EventBridge event-pattern matcher: the semantics our patterns use, per the EventBridge
// user guide ("Event patterns"): every field of the pattern must match (AND); an array lists
// alternatives (OR); an event array matches when any element matches; objects nest; "$or" takes a
// list of sub-patterns of which one must match; content filters {prefix}, {anything-but}, {exists}.
// Values compare exactly (case-sensitive, type-sensitive).

function matchValue(rule, value) {
  if (rule !== null && typeof rule === 'object') {
    if ('prefix' in rule) return typeof value === 'string' && value.startsWith(rule.prefix);
    if ('anything-but' in rule) return value !== undefined && ![].concat(rule['anything-but']).some(r => matchValue(r, value));
    if ('exists' in rule) return (value !== undefined) === rule.exists;
    throw new Error(`unsupported content filter ${JSON.stringify(rule)}`);
  }
  return value === rule;
}

function matchField(rules, value) {
  if (!Array.isArray(rules)) throw new Error(`pattern leaf must be an array, got ${JSON.stringify(rules)}`);
  if (Array.isArray(value)) return value.some(v => rules.some(r => matchValue(r, v)));
  return rules.some(r => (r !== null && typeof r === 'object' && 'exists' in r) ? matchValue(r, value) : value !== undefined && matchValue(r, value));
}

function matches(pattern, event) {
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(rule) || rule.length < 2) throw new Error('$or needs an array of at least two patterns');
      if (!rule.some(p => matches(p, event))) return false;
      continue;
    }
    const value = event === null || typeof event !== 'object' ? undefined : event[key];
    if (rule !== null && typeof rule === 'object' && !Array.isArray(rule)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
      if (!matches(rule, value)) return false;
    } else if (!matchField(rule, value)) return false;
  }
  return true;
}

// Renders the failure pattern template the way Terraform's templatefile() would for our two calls.
function renderPattern(templateText, vars) {
  return templateText.replace(/\$\{jsonencode\((\w+)\)\}/g, (_, name) => {
    if (!(name in vars)) throw new Error(`template variable ${name} not given`);
    return JSON.stringify(vars[name]);
  });
}

module.exports = { matches, renderPattern };
