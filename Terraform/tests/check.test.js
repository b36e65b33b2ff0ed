'use strict';
// The static Terraform check: the real tree passes, and every rule catches a bad snippet (and leaves
// its corrected twin alone).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { checkTree, satisfies, isPinned } = require('./lib/check');
const { extract } = require('./lib/generate-schema');

const tfRoot = path.resolve(__dirname, '..');
const schemaFile = process.env.TF_SCHEMA_FILE || path.join(__dirname, '.cache', 'aws-provider.json');
const schema = fs.existsSync(schemaFile) ? JSON.parse(fs.readFileSync(schemaFile, 'utf8')) : extract();

const VERSIONS = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 6.25" }
  }
}
`;
// Writes files into a fresh folder (main.tf + versions.tf unless given) and checks it.
async function check(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcheck-'));
  try {
    const all = { 'versions.tf': VERSIONS, ...(typeof files === 'string' ? { 'main.tf': files } : files) };
    for (const [name, text] of Object.entries(all)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    return (await checkTree(dir, schema)).findings;
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}
const rulesOf = findings => findings.map(f => f.rule);
async function catches(rule, bad, good) {
  const b = await check(bad);
  assert.ok(rulesOf(b).includes(rule), `expected rule ${rule} on the bad snippet, got ${JSON.stringify(b, null, 1)}`);
  if (good !== undefined) {
    const g = await check(good);
    assert.deepEqual(g.filter(f => f.rule === rule), [], `rule ${rule} fired on the good snippet`);
  }
}

// A compliant bucket, used as the base of the S3 snippets.
const BUCKET = `
resource "aws_s3_bucket" "b" { bucket = "x" }
resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    apply_server_side_encryption_by_default { sse_algorithm = "aws:kms" }
  }
}
resource "aws_s3_bucket_public_access_block" "b" {
  bucket                  = aws_s3_bucket.b.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`;

test('the schema comes from the pinned provider 6.25.0 and knows the resources we use', () => {
  assert.equal(schema.version, '6.25.0');
  assert.ok(schema.resource.aws_glue_job.a.includes('glue_version'));
  assert.ok(schema.resource.aws_glue_job.b.command.a.includes('script_location'));
  assert.ok(schema.data.aws_iam_policy_document);
  assert.ok(Object.keys(schema.resource).length > 1500);
});

test('the real Terraform tree passes every check', async () => {
  const { findings, dirs } = await checkTree(tfRoot, schema);
  assert.ok(dirs.length >= 8, `expected root + 7 modules, got ${dirs.length}`);
  assert.deepEqual(findings.map(f => `${f.rule} ${path.relative(tfRoot, f.file)} ${f.where}: ${f.message}`), []);
});

test('every module has main/variables/outputs/versions.tf and described variables and outputs', async () => {
  const { parseDir } = require('./lib/check');
  for (const m of fs.readdirSync(path.join(tfRoot, 'modules'))) {
    const dir = path.join(tfRoot, 'modules', m);
    for (const f of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf']) assert.ok(fs.existsSync(path.join(dir, f)), `${m}/${f} missing`);
  }
  for (const dir of [tfRoot, ...fs.readdirSync(path.join(tfRoot, 'modules')).map(m => path.join(tfRoot, 'modules', m))]) {
    const { files } = await parseDir(dir);
    for (const { file, json } of files) {
      for (const [n, v] of Object.entries(json.variable || {})) {
        assert.ok(v[0].description, `${path.relative(tfRoot, file)}: variable ${n} has no description`);
        assert.ok(v[0].type, `${path.relative(tfRoot, file)}: variable ${n} has no type`);
      }
      for (const [n, v] of Object.entries(json.output || {})) assert.ok(v[0].description, `${path.relative(tfRoot, file)}: output ${n} has no description`);
    }
  }
});

test('the Glue job default arguments match the contract of Glue/etl.py', async () => {
  const { parse } = require('@cdktf/hcl2json');
  const hcl = await parse('main.tf', fs.readFileSync(path.join(tfRoot, 'modules/glue/main.tf'), 'utf8'));
  const job = hcl.resource.aws_glue_job.extract[0];
  assert.equal(job.glue_version, '5.0');
  const args = job.default_arguments;
  for (const k of ['--extract_months', '--output_bucket', '--output_prefix', '--triggered_by', '--reason', '--source_secret_id',
    '--glue_connection_name', '--sql_uri', '--extra-py-files', '--job-language', '--enable-continuous-cloudwatch-log',
    '--enable-metrics', '--enable-job-insights', '--job-bookmark-option']) assert.ok(k in args, `missing ${k}`);
  assert.equal(args['--extract_months'], '');
  assert.equal(args['--triggered_by'], 'schedule');
  assert.equal(args['--reason'], 'monthly schedule');
  assert.equal(args['--job-bookmark-option'], 'job-bookmark-disable');
  assert.equal(args['--job-language'], 'python');
  assert.match(job.command[0].script_location, /aws_s3_object\.script\.key/);
  assert.match(hcl.resource.aws_s3_object.script[0].source, /\/etl\.py"?$/);
  assert.match(args['--sql_uri'], /aws_s3_object\.sql\.key/);
  assert.match(hcl.resource.aws_s3_object.sql[0].source, /\/sql\/branch_moving_average\.sql$/);
  assert.match(args['--extra-py-files'], /aws_s3_object\.package\.key/);
  assert.match(hcl.data.archive_file.extract_job[0].source_dir, /\/extract_job$/);
  assert.equal(args['--source_secret_id'], '${var.secret_arn}');
  assert.equal(args['--glue_connection_name'], '${aws_glue_connection.ods.name}');
});

test('the portal module keeps the promises of issue 7 (TLS, sign-in before forward, stickiness, read-only root, least privilege)', async () => {
  const { parse } = require('@cdktf/hcl2json');
  const dir = path.join(tfRoot, 'modules/portal');
  const hcl = {};
  for (const f of fs.readdirSync(dir).filter(f => f.endsWith('.tf'))) {
    const j = await parse(f, fs.readFileSync(path.join(dir, f), 'utf8'));
    for (const k of ['resource', 'data', 'locals']) {
      if (k === 'locals') { hcl.locals = Object.assign(hcl.locals || {}, ...(j.locals || [])); continue; }
      hcl[k] = hcl[k] || {};
      for (const [t, byName] of Object.entries(j[k] || {})) hcl[k][t] = { ...(hcl[k][t] || {}), ...byName };
    }
  }
  const r = (t, n) => hcl.resource[t][n][0];
  const https = r('aws_lb_listener', 'https');
  assert.equal(https.protocol, 'HTTPS');
  assert.equal(https.ssl_policy, '${var.ssl_policy}');
  const vars = (await parse('variables.tf', fs.readFileSync(path.join(dir, 'variables.tf'), 'utf8'))).variable;
  assert.equal(vars.ssl_policy[0].default, 'ELBSecurityPolicy-TLS13-1-2-2021-06');
  assert.equal(vars.allowed_cidrs[0].default, undefined, 'allowed_cidrs is required');
  const actions = https.default_action.slice().sort((a, b) => a.order - b.order);
  assert.deepEqual(actions.map(a => a.type), ['authenticate-cognito', 'forward'], 'Cognito sign-in runs before forwarding');
  assert.equal(actions[0].authenticate_cognito[0].on_unauthenticated_request, 'authenticate');
  assert.equal(r('aws_lb_listener', 'http').default_action[0].redirect[0].protocol, 'HTTPS');
  const tg = r('aws_lb_target_group', 'portal');
  assert.equal(tg.health_check[0].path, '/healthz');
  assert.equal(tg.stickiness[0].type, 'lb_cookie');
  assert.equal(tg.stickiness[0].enabled, true);
  assert.ok(vars.idle_timeout_seconds[0].default >= 300 && vars.idle_timeout_seconds[0].default <= 3600, 'idle timeout suits Blazor circuits');
  const alb = r('aws_lb', 'this');
  assert.equal(alb.access_logs[0].enabled, true);
  assert.equal(alb.drop_invalid_header_fields, true);
  // ECR, ECS
  const ecr = r('aws_ecr_repository', 'portal');
  assert.equal(ecr.image_tag_mutability, 'IMMUTABLE');
  assert.equal(ecr.image_scanning_configuration[0].scan_on_push, true);
  assert.ok(hcl.resource.aws_ecr_lifecycle_policy.portal);
  assert.equal(r('aws_ecs_cluster', 'this').setting[0].name, 'containerInsights');
  const td = r('aws_ecs_task_definition', 'portal');
  assert.deepEqual(td.requires_compatibilities, ['FARGATE']);
  assert.equal(td.cpu, '${var.cpu}'); assert.equal(td.memory, '${var.memory}');
  const cd = td.container_definitions;
  assert.match(cd, /readonlyRootFilesystem\s*=\s*true/);
  assert.match(cd, /:\$\{var\.image_tag\}/);
  assert.match(cd, /logDriver\s*=\s*"awslogs"/);
  assert.match(cd, /containerPath\s*=\s*"\/tmp"/);
  assert.match(r('aws_cloudwatch_log_group', 'portal').kms_key_id, /var\.kms_key_arn/);
  const env = hcl.locals.environment;
  assert.equal(env.Portal__Mode, 'Aws');
  for (const k of Object.keys(env)) assert.doesNotMatch(k, /password|secret|access_key|token/i, `no secret in the task environment: ${k}`);
  assert.deepEqual(r('aws_ecs_service', 'portal').network_configuration[0].assign_public_ip, false);
  const metrics = Object.values(hcl.resource.aws_appautoscaling_policy).map(p => p[0].target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].predefined_metric_type).sort();
  assert.deepEqual(metrics, ['ALBRequestCountPerTarget', 'ECSServiceAverageCPUUtilization']);
  // Cognito
  const pool = r('aws_cognito_user_pool', 'this');
  assert.equal(pool.admin_create_user_config[0].allow_admin_create_user_only, true);
  assert.ok(pool.password_policy[0].minimum_length >= 12);
  assert.equal(pool.software_token_mfa_configuration[0].enabled, true);
  assert.deepEqual(vars.role_groups[0].default, ['support', 'operator', 'auditor']);
  const client = r('aws_cognito_user_pool_client', 'alb');
  assert.equal(client.generate_secret, true);
  assert.deepEqual(client.allowed_oauth_flows, ['code']);
  assert.match(client.callback_urls[0], /\/oauth2\/idpresponse$/);
  // DynamoDB: on demand, PITR, KMS
  // Key schemas and GSIs exactly as the code uses them (src/ExtractPortal/Aws/DynamoDb/DynamoTables.cs).
  const schemas = {
    runs: { 'by-created': ['gsi1pk', 'gsi1sk', 'ALL'], 'by-state': ['gsi2pk', 'gsi2sk', 'ALL'], 'by-month': ['gsi3pk', 'gsi3sk', 'KEYS_ONLY'] },
    audit: { 'by-user': ['gsi_user', 'gsi_sk', 'ALL'], 'by-action': ['gsi_action', 'gsi_sk', 'ALL'], 'by-run': ['gsi_run', 'gsi_sk', 'ALL'] },
  };
  assert.deepEqual(Object.keys(hcl.resource.aws_dynamodb_table).sort(), ['audit', 'runs']);
  for (const [t, gsis] of Object.entries(schemas)) {
    const tb = r('aws_dynamodb_table', t);
    assert.equal(tb.billing_mode, 'PAY_PER_REQUEST', t);
    assert.equal(tb.point_in_time_recovery[0].enabled, true, t);
    assert.match(tb.server_side_encryption[0].kms_key_arn, /var\.kms_key_arn/, t);
    assert.equal(tb.hash_key, 'pk', t);
    assert.equal(tb.range_key, 'sk', t);
    const attrs = tb.dynamic.attribute[0].for_each;
    assert.deepEqual(tb.global_secondary_index.map(g => [g.name, [g.hash_key, g.range_key, g.projection_type]]), Object.entries(gsis), t);
    for (const [hash, range] of Object.values(gsis)) for (const a of ['pk', 'sk', hash, range]) assert.ok(attrs.includes(a), `${t}: attribute ${a}`);
  }
  // Task role: Glue on our job only; S3 read-only on the extracts; no write to the extracts bucket.
  const task = hcl.data.aws_iam_policy_document.task[0].statement;
  const glue = task.find(s => s.sid === 'GlueJobRuns');
  assert.deepEqual(glue.actions.slice().sort(), ['glue:BatchStopJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:StartJobRun']);
  assert.deepEqual(glue.resources, ['${local.glue_job_arn}']);
  for (const st of task) if ([].concat(st.resources || []).some(x => x.includes('local.extracts_arn'))) {
    assert.ok(st.actions.every(a => ['s3:GetObject', 's3:ListBucket'].includes(a)), `extracts bucket: read-only, got ${st.actions}`);
  }
  // Security groups: tasks only from the ALB.
  const tasksIn = Object.entries(hcl.resource.aws_vpc_security_group_ingress_rule).filter(([, v]) => /aws_security_group\.tasks\.id/.test(v[0].security_group_id));
  assert.equal(tasksIn.length, 1);
  assert.match(tasksIn[0][1][0].referenced_security_group_id, /aws_security_group\.alb\.id/);
  // WAF optional, with AWS managed groups.
  assert.equal(vars.enable_waf[0].type, '${bool}');
  assert.ok(Object.keys(hcl.locals.waf_managed_groups).includes('AWSManagedRulesCommonRuleSet'));
});

test('no password anywhere in the Terraform folder (README included)', () => {
  const hits = [];
  (function walk(d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { if (!['tests', '.terraform', '.build'].includes(e.name)) walk(p); continue; }
      const text = fs.readFileSync(p, 'utf8');
      for (const m of text.matchAll(/password[ \t]*[:=][ \t]*"([^"$\n]+)"/gi)) hits.push(`${path.relative(tfRoot, p)}: ${m[0]}`);
    }
  })(tfRoot);
  assert.deepEqual(hits, []);
});

// ---------------------------------------------------------------- rule: parse
test('parse: HCL that does not parse', () => catches('parse', 'resource "aws_s3_bucket" "b" {\n  bucket = \n}\n'));

// ---------------------------------------------------------------- rule: reference
test('reference: undeclared variable', () => catches('reference',
  'resource "aws_sqs_queue" "q" { name = var.nope }',
  'variable "nope" {\n type = string\n description = "x"\n}\nresource "aws_sqs_queue" "q" { name = var.nope }'));
test('reference: undeclared local', () => catches('reference',
  'resource "aws_sqs_queue" "q" { name = local.nope }',
  'locals { nope = "q" }\nresource "aws_sqs_queue" "q" { name = local.nope }'));
test('reference: undeclared resource', () => catches('reference',
  'resource "aws_sqs_queue" "q" { name = "q" }\noutput "o" {\n value = aws_sqs_queue.other.arn\n description = "x"\n}',
  'resource "aws_sqs_queue" "q" { name = "q" }\noutput "o" {\n value = aws_sqs_queue.q.arn\n description = "x"\n}'));
test('reference: undeclared data source', () => catches('reference',
  'resource "aws_sqs_queue" "q" { name = data.aws_caller_identity.me.account_id }',
  'data "aws_caller_identity" "me" {}\nresource "aws_sqs_queue" "q" { name = data.aws_caller_identity.me.account_id }'));
test('reference: undeclared module and module output', async () => {
  const mod = {
    'modules/m/main.tf': 'resource "aws_sqs_queue" "q" { name = var.n }',
    'modules/m/variables.tf': 'variable "n" {\n type = string\n description = "x"\n}',
    'modules/m/outputs.tf': 'output "arn" {\n value = aws_sqs_queue.q.arn\n description = "x"\n}',
    'modules/m/versions.tf': VERSIONS,
  };
  await catches('reference',
    { ...mod, 'main.tf': 'module "m" {\n source = "./modules/m"\n n = "a"\n}\noutput "o" {\n value = module.m.url\n description = "x"\n}' },
    { ...mod, 'main.tf': 'module "m" {\n source = "./modules/m"\n n = "a"\n}\noutput "o" {\n value = module.m.arn\n description = "x"\n}' });
  await catches('reference', { ...mod, 'main.tf': 'output "o" {\n value = module.nope.arn\n description = "x"\n}' });
  await catches('module_args',
    { ...mod, 'main.tf': 'module "m" {\n source = "./modules/m"\n n = "a"\n typo = 1\n}' },
    { ...mod, 'main.tf': 'module "m" {\n source = "./modules/m"\n n = "a"\n}' });
  await catches('module_args', { ...mod, 'main.tf': 'module "m" {\n source = "./modules/m"\n}' });
});
test('reference: dynamic block iterators and for-expression variables are not references', async () => {
  const f = await check(`variable "l" {
  type = list(string)
  description = "x"
}
resource "aws_security_group" "s" {
  name = "s"
  dynamic "egress" {
    for_each = var.l
    content {
      from_port   = 443
      to_port     = 443
      protocol    = "tcp"
      cidr_blocks = [egress.value]
    }
  }
  tags = { for s in var.l : s => upper(s) }
}`);
  assert.deepEqual(f, []);
});

test('reference: iterators of nested dynamic blocks are not references', async () => {
  const f = await check(`resource "aws_wafv2_web_acl" "w" {
  name  = "w"
  scope = "REGIONAL"
  default_action {
    allow {}
  }
  dynamic "rule" {
    for_each = { AWSManagedRulesCommonRuleSet = 20 }
    content {
      name     = rule.key
      priority = rule.value
      override_action {
        none {}
      }
      statement {
        managed_rule_group_statement {
          name        = rule.key
          vendor_name = "AWS"
          dynamic "rule_action_override" {
            for_each = ["SizeRestrictions_BODY"]
            content {
              name = rule_action_override.value
              action_to_use {
                count {}
              }
            }
          }
        }
      }
      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = rule.key
        sampled_requests_enabled   = true
      }
    }
  }
  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "w"
    sampled_requests_enabled   = true
  }
}`);
  assert.deepEqual(f, []);
  const bad = await check('resource "aws_sqs_queue" "q" { name = rule_action_override.value }');
  assert.ok(bad.some(x => x.rule === 'reference'));
});

// ---------------------------------------------------------------- rule: schema
test('schema_type: resource type not in the provider', () => catches('schema_type',
  'resource "aws_s3_bukket" "b" { bucket = "x" }', 'resource "aws_sqs_queue" "q" { name = "x" }'));
test('schema_type: data source type not in the provider', () => catches('schema_type',
  'data "aws_caller_identiti" "me" {}', 'data "aws_caller_identity" "me" {}'));
test('schema_arg: unknown top-level argument', () => catches('schema_arg',
  'resource "aws_sqs_queue" "q" { queue_name = "x" }', 'resource "aws_sqs_queue" "q" { name = "x" }'));
test('schema_arg: unknown argument in a nested block', () => catches('schema_arg',
  'resource "aws_glue_job" "j" {\n name = "j"\n role_arn = "r"\n command { script_locaton = "s3://b/k" }\n}',
  'resource "aws_glue_job" "j" {\n name = "j"\n role_arn = "r"\n command { script_location = "s3://b/k" }\n}'));
test('schema_arg: unknown block inside a dynamic block', () => catches('schema_arg',
  'resource "aws_glue_job" "j" {\n name = "j"\n role_arn = "r"\n command { script_location = "s" }\n dynamic "notification" {\n for_each = [1]\n content { notify_delay_after = 1 }\n }\n}',
  'resource "aws_glue_job" "j" {\n name = "j"\n role_arn = "r"\n command { script_location = "s" }\n dynamic "notification_property" {\n for_each = [1]\n content { notify_delay_after = 1 }\n }\n}'));
test('schema_arg: unknown provider argument', () => catches('schema_arg',
  'provider "aws" {\n regoin = "us-east-1"\n}', 'provider "aws" {\n region = "us-east-1"\n default_tags { tags = { a = "b" } }\n}'));
test('schema_required: missing required argument', () => catches('schema_required',
  'resource "aws_glue_job" "j" {\n name = "j"\n command { script_location = "s" }\n}',
  'resource "aws_glue_job" "j" {\n name = "j"\n role_arn = "r"\n command { script_location = "s" }\n}'));

// ---------------------------------------------------------------- rule: provider pinning
test('provider_pin: a non-AWS provider used without required_providers', () => catches('provider_pin',
  'data "archive_file" "z" {\n type = "zip"\n source_dir = "."\n output_path = "z.zip"\n}',
  { 'main.tf': 'data "archive_file" "z" {\n type = "zip"\n source_dir = "."\n output_path = "z.zip"\n}',
    'versions.tf': 'terraform {\n required_providers {\n aws = { source = "hashicorp/aws", version = "~> 6.25" }\n archive = { source = "hashicorp/archive", version = "~> 2.7" }\n }\n}' }));
test('provider_pin: an unpinned version constraint', () => catches('provider_pin',
  { 'main.tf': 'resource "random_id" "r" { byte_length = 4 }',
    'versions.tf': 'terraform {\n required_providers {\n random = { source = "hashicorp/random", version = ">= 3.0" }\n }\n}' },
  { 'main.tf': 'resource "random_id" "r" { byte_length = 4 }',
    'versions.tf': 'terraform {\n required_providers {\n random = { source = "hashicorp/random", version = "~> 3.6" }\n }\n}' }));
test('provider_pin: an AWS constraint that excludes the pinned schema version', () => catches('provider_pin',
  { 'main.tf': 'resource "aws_sqs_queue" "q" { name = "x" }', 'versions.tf': VERSIONS.replace('~> 6.25', '~> 5.90') }));
test('version constraints are evaluated like Terraform', () => {
  assert.equal(satisfies('~> 6.25', '6.25.0'), true);
  assert.equal(satisfies('~> 6.25', '7.0.0'), false);
  assert.equal(satisfies('~> 6.25.0', '6.26.0'), false);
  assert.equal(satisfies('>= 6.0, < 7.0', '6.25.0'), true);
  assert.equal(isPinned('>= 6.0'), false);
  assert.equal(isPinned('>= 6.0, < 7.0'), true);
  assert.equal(isPinned('6.25.0'), true);
});

// ---------------------------------------------------------------- rule: S3
test('s3_encryption: a bucket without server-side encryption', () => catches('s3_encryption',
  BUCKET.replace(/resource "aws_s3_bucket_server_side_encryption_configuration"[\s\S]*?\n}\n/, ''), BUCKET));
test('s3_encryption: encryption configured for a different bucket does not count', () => catches('s3_encryption',
  BUCKET + 'resource "aws_s3_bucket" "c" { bucket = "y" }\nresource "aws_s3_bucket_public_access_block" "c" {\n bucket = aws_s3_bucket.c.id\n block_public_acls = true\n block_public_policy = true\n ignore_public_acls = true\n restrict_public_buckets = true\n}'));
test('s3_public_access: a bucket without a public access block', () => catches('s3_public_access',
  BUCKET.replace(/resource "aws_s3_bucket_public_access_block"[\s\S]*?\n}\n/, ''), BUCKET));
test('s3_public_access: a public access block with a flag off', () => catches('s3_public_access',
  BUCKET.replace('restrict_public_buckets = true', 'restrict_public_buckets = false'), BUCKET));

// ---------------------------------------------------------------- rule: IAM
const doc = actions => `data "aws_iam_policy_document" "d" {\n statement {\n actions = ${JSON.stringify(actions)}\n resources = ["arn:aws:s3:::b/*"]\n }\n}`;
test('iam_wildcard: Action "*"', () => catches('iam_wildcard', doc(['s3:GetObject', '*']), doc(['s3:GetObject'])));
test('iam_wildcard: "service:*"', () => catches('iam_wildcard', doc(['kms:*']), doc(['kms:Decrypt'])));
test('iam_wildcard: Action "*" in a jsonencode() policy', () => catches('iam_wildcard',
  'resource "aws_iam_policy" "p" {\n policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["s3:*"], Resource = "*" }] })\n}',
  'resource "aws_iam_policy" "p" {\n policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "arn:aws:s3:::b/*" }] })\n}'));
test('iam_wildcard: "Action": "*" in a heredoc JSON policy', () => catches('iam_wildcard',
  'resource "aws_iam_policy" "p" {\n policy = <<JSON\n{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}\nJSON\n}'));

// ---------------------------------------------------------------- rule: ingress
test('open_ingress: inline ingress from 0.0.0.0/0', () => catches('open_ingress',
  'resource "aws_security_group" "s" {\n name = "s"\n ingress {\n from_port = 22\n to_port = 22\n protocol = "tcp"\n cidr_blocks = ["0.0.0.0/0"]\n }\n}',
  'resource "aws_security_group" "s" {\n name = "s"\n ingress {\n from_port = 22\n to_port = 22\n protocol = "tcp"\n cidr_blocks = ["10.0.0.0/24"]\n }\n egress {\n from_port = 443\n to_port = 443\n protocol = "tcp"\n cidr_blocks = ["0.0.0.0/0"]\n }\n}'));
test('open_ingress: ingress rule resource from ::/0', () => catches('open_ingress',
  'resource "aws_vpc_security_group_ingress_rule" "r" {\n security_group_id = "sg-1"\n ip_protocol = "tcp"\n from_port = 22\n to_port = 22\n cidr_ipv6 = "::/0"\n}',
  'resource "aws_vpc_security_group_ingress_rule" "r" {\n security_group_id = "sg-1"\n ip_protocol = "tcp"\n from_port = 22\n to_port = 22\n cidr_ipv4 = "10.1.0.0/16"\n}'));
test('open_ingress: aws_security_group_rule of type ingress from 0.0.0.0/0', () => catches('open_ingress',
  'resource "aws_security_group_rule" "r" {\n type = "ingress"\n security_group_id = "sg-1"\n protocol = "tcp"\n from_port = 22\n to_port = 22\n cidr_blocks = ["0.0.0.0/0"]\n}'));
test('open_ingress: a variable defaulting to 0.0.0.0/0', () => catches('open_ingress',
  'variable "allowed" {\n type = list(string)\n description = "x"\n default = ["0.0.0.0/0"]\n}',
  'variable "allowed" {\n type = list(string)\n description = "x"\n}'));
test('open_ingress: 0.0.0.0/0 in a tfvars file', () => catches('open_ingress',
  { 'main.tf': '', 'environments/x.tfvars': 'sftp_allowed_cidrs = ["0.0.0.0/0"]\n' },
  { 'main.tf': '', 'environments/x.tfvars': 'sftp_allowed_cidrs = ["203.0.113.0/29"]\n' }));

// ---------------------------------------------------------------- rule: passwords
test('literal_password: a literal password argument', () => catches('literal_password',
  'resource "aws_db_instance" "d" {\n instance_class = "db.t4g.micro"\n password = "Sup3rS3cret!"\n}',
  'resource "aws_db_instance" "d" {\n instance_class = "db.t4g.micro"\n manage_master_user_password = true\n}'));
test('literal_password: a password inside a jsonencode() secret value', () => catches('literal_password',
  'resource "aws_secretsmanager_secret_version" "v" {\n secret_id = "s"\n secret_string = jsonencode({ username = "postgres", password = "hunter2hunter2" })\n}',
  'resource "aws_secretsmanager_secret_version" "v" {\n secret_id = "s"\n secret_string = jsonencode({ username = "postgres" })\n}'));
test('literal_password: a literal secret_string', () => catches('literal_password',
  'resource "aws_secretsmanager_secret_version" "v" {\n secret_id = "s"\n secret_string = "plain-text-credential"\n}'));
test('literal_password: a password variable with a default', () => catches('literal_password',
  'variable "db_password" {\n type = string\n description = "x"\n sensitive = true\n default = "changeme123"\n}',
  'variable "db_password" {\n type = string\n description = "x"\n sensitive = true\n}'));
test('literal_password: a password in a tfvars file', () => catches('literal_password',
  { 'main.tf': '', 'environments/x.tfvars': 'ods_password = "changeme123"\n' }));

test('README documents every module input and output', async () => {
  const { parseDir } = require('./lib/check');
  const readme = fs.readFileSync(path.join(tfRoot, 'README.md'), 'utf8');
  const missing = [];
  for (const dir of [tfRoot, ...fs.readdirSync(path.join(tfRoot, 'modules')).map(m => path.join(tfRoot, 'modules', m))]) {
    const { files } = await parseDir(dir);
    for (const { json } of files) for (const n of [...Object.keys(json.variable || {}), ...Object.keys(json.output || {})]) {
      if (!readme.includes('`' + n + '`')) missing.push(`${path.relative(tfRoot, dir) || 'root'}: ${n}`);
    }
  }
  assert.deepEqual(missing, []);
});
