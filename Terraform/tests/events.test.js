'use strict';
// The failure alert: the EventBridge rule's pattern (modules/orchestration/failure-event-pattern.json.tftpl,
// rendered as the module renders it) against documented sample Glue events.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { parse } = require('@cdktf/hcl2json');
const { matches, renderPattern } = require('./lib/event-pattern');

const tf = path.resolve(__dirname, '..');
const moduleDir = path.join(tf, 'modules', 'orchestration');
const templateFile = path.join(moduleDir, 'failure-event-pattern.json.tftpl');
const JOB = 'extractportal-prod-extract';
const CRAWLER = 'extractportal-prod-ods-crawler';
const pattern = JSON.parse(renderPattern(fs.readFileSync(templateFile, 'utf8'), { job_names: [JOB], crawler_names: [CRAWLER] }));
const sample = name => JSON.parse(fs.readFileSync(path.join(__dirname, 'testdata', 'events', name), 'utf8')
  .replaceAll('@JOB@', JOB).replaceAll('@CRAWLER@', CRAWLER));

test('the rule renders the pattern file with our job and crawler names', async () => {
  const hcl = await parse('main.tf', fs.readFileSync(path.join(moduleDir, 'main.tf'), 'utf8'));
  const rule = hcl.resource.aws_cloudwatch_event_rule.failures[0];
  assert.match(rule.event_pattern, /templatefile\("\$\{path\.module\}\/failure-event-pattern\.json\.tftpl"/);
  assert.match(rule.event_pattern, /job_names\s*=\s*\[var\.job_name\]/);
  assert.match(rule.event_pattern, /crawler_names\s*=\s*\[var\.crawler_name\]/);
  const target = hcl.resource.aws_cloudwatch_event_target.failures_to_sns[0];
  assert.equal(target.arn, '${aws_sns_topic.alerts.arn}');
  // The email carries the error message of both event kinds.
  const paths = target.input_transformer[0].input_paths;
  assert.equal(paths.message, '$.detail.message');
  assert.equal(paths.error, '$.detail.errorMessage');
  assert.match(target.input_transformer[0].input_template, /<message>/);
  const root = await parse('main.tf', fs.readFileSync(path.join(tf, 'main.tf'), 'utf8'));
  const orch = root.module.orchestration[0];
  assert.equal(orch.job_name, '${module.glue.job_name}');
  assert.equal(orch.crawler_name, '${module.glue.crawler_name}');
});

for (const [file, expected] of [
  ['job-failed.json', true], ['job-timeout.json', true], ['job-stopped.json', true], ['job-error.json', true],
  ['crawler-failed.json', true],
  ['job-succeeded.json', false], ['job-running.json', false], ['other-job-failed.json', false],
  ['crawler-succeeded.json', false], ['crawler-started.json', false], ['other-crawler-failed.json', false],
]) {
  test(`${file} ${expected ? 'raises' : 'does not raise'} an alert`, () => {
    assert.equal(matches(pattern, sample(file)), expected);
  });
}

test('an event from another source with the same detail does not match', () => {
  const e = sample('job-failed.json'); e.source = 'custom.glue';
  assert.equal(matches(pattern, e), false);
});

test('a job event for our crawler name (detail-type mismatch) does not match', () => {
  const e = sample('job-failed.json'); e['detail-type'] = 'Glue Crawler State Change';
  assert.equal(matches(pattern, e), false);
});

test('the matcher implements EventBridge semantics it claims (arrays OR, fields AND, prefix, exists, $or)', () => {
  assert.equal(matches({ a: ['x', 'y'] }, { a: 'y' }), true);
  assert.equal(matches({ a: ['x'], b: ['z'] }, { a: 'x', b: 'q' }), false);
  assert.equal(matches({ a: ['x'] }, { a: ['q', 'x'] }), true);
  assert.equal(matches({ a: ['x'] }, {}), false);
  assert.equal(matches({ d: { s: [{ prefix: 'FAIL' }] } }, { d: { s: 'FAILED' } }), true);
  assert.equal(matches({ d: { s: [{ exists: false }] } }, { d: {} }), true);
  assert.equal(matches({ d: { s: ['FAILED'] } }, { d: { s: 'failed' } }), false, 'case-sensitive');
  assert.equal(matches({ $or: [{ a: ['1'] }, { b: ['2'] }] }, { b: '2' }), true);
  assert.equal(matches({ $or: [{ a: ['1'] }, { b: ['2'] }] }, { c: '3' }), false);
});
