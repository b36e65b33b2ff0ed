'use strict';
// The container checks: the real Dockerfile and compose stack pass, and every rule catches a bad
// snippet (and leaves its corrected twin alone).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { RULES, checkCompose, checkDockerfile, scanText, dockerignore } = require('./lib/check');

const repo = path.resolve(__dirname, '..', '..');

// A fresh build context: files { relative path: text }; returns its folder.
function context(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockercheck-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
const rulesOf = findings => findings.map(f => f.rule);
function expectRule(rule, findings, good) {
  assert.ok(rulesOf(findings).includes(rule), `expected rule ${rule}, got ${JSON.stringify(findings, null, 1)}`);
  if (good) assert.deepEqual(good.filter(f => f.rule === rule), [], `rule ${rule} fired on the good snippet: ${JSON.stringify(good, null, 1)}`);
}

// ---------------------------------------------------------------- Dockerfile snippets
const GOOD_DOCKERFILE = `# syntax=docker/dockerfile:1
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY app.csproj ./
RUN dotnet restore -r linux-x64
COPY src/ src/
RUN dotnet publish -c Release -r linux-x64 \\
      --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS=8080 Portal__DataFolder=/var/lib/extractportal
USER 1654:1654
EXPOSE 8080
HEALTHCHECK --interval=30s CMD ["dotnet", "/app/ExtractPortal.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "/app/ExtractPortal.dll"]
`;
const CONTEXT_FILES = { 'app.csproj': '<Project/>', 'src/Program.cs': '// app' };
function dockerfile(text, extra = {}) {
  const dir = context({ ...CONTEXT_FILES, ...extra, Dockerfile: text });
  try { return checkDockerfile(path.join(dir, 'Dockerfile'), dir); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}
const good = () => dockerfile(GOOD_DOCKERFILE);

// ---------------------------------------------------------------- compose snippets
const GOOD_COMPOSE = `services:
  db:
    image: postgres:17-alpine
    environment:
      POSTGRES_HOST_AUTH_METHOD: trust
    volumes:
      - pgdata:/var/lib/postgresql/data
    networks: [backend]
  store:
    image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
    environment:
      MINIO_ROOT_USER: \${MINIO_ROOT_USER:?set it in docker/.env}
      MINIO_ROOT_PASSWORD: \${MINIO_ROOT_PASSWORD:?set it in docker/.env}
    networks: [backend]
  app:
    build:
      context: ..
      dockerfile: Dockerfile
    environment:
      Portal__OdsConnectionString: Host=db;Database=ods;Username=postgres
    volumes:
      - ./init.sh:/init.sh:ro
    depends_on:
      db:
        condition: service_healthy
    ports: ["127.0.0.1:8080:8080"]
    networks: [backend, frontend]
networks:
  backend: { internal: true }
  frontend: {}
volumes:
  pgdata: {}
`;
const GOOD_ENV_EXAMPLE = 'MINIO_ROOT_USER=\nMINIO_ROOT_PASSWORD=\n';
function compose(text, { envExample = GOOD_ENV_EXAMPLE, files = {} } = {}) {
  const all = { 'Dockerfile': 'FROM scratch\n', 'docker/init.sh': '#!/bin/sh\n', 'docker/compose.yaml': text, ...files };
  if (envExample !== null) all['docker/.env.example'] = envExample;
  const dir = context(all);
  try { return checkCompose(path.join(dir, 'docker/compose.yaml')); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}
const goodCompose = () => compose(GOOD_COMPOSE);

// ---------------------------------------------------------------- the real files
test('the real Dockerfile passes every check', () => {
  assert.deepEqual(checkDockerfile(path.join(repo, 'Dockerfile'), repo), []);
});

test('the real compose stack passes every check', () => {
  assert.deepEqual(checkCompose(path.join(repo, 'docker/compose.yaml')), []);
});

test('no literal secret in the Dockerfile, .dockerignore or anything under docker/', () => {
  const files = [path.join(repo, 'Dockerfile'), path.join(repo, '.dockerignore')];
  (function walk(d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { if (e.name !== 'tests') walk(p); } else if (e.name !== '.env') files.push(p);
    }
  })(path.join(repo, 'docker'));
  assert.deepEqual(files.flatMap(scanText), []);
});

test('the real compose stack: the shape the README promises', () => {
  const YAML = require('yaml');
  const doc = YAML.parse(fs.readFileSync(path.join(repo, 'docker/compose.yaml'), 'utf8'), { merge: true });
  const s = doc.services;
  for (const name of ['postgres', 'seed-ods', 'minio', 'minio-init', 'portal']) assert.ok(s[name], `service ${name}`);
  assert.deepEqual(s['seed-ods'].command.slice(0, 2), ['seed-ods', '--target']);
  assert.match(s['seed-ods'].command[2], /Host=postgres/);
  assert.equal(s['seed-ods'].depends_on.postgres.condition, 'service_healthy');
  assert.equal(s.portal.depends_on['seed-ods'].condition, 'service_completed_successfully');
  assert.equal(s.portal.environment.Portal__Mode, 'Local');
  assert.match(s.portal.environment.Portal__OdsConnectionString, /Host=postgres/);
  assert.equal(s.portal.environment.Portal__ExtractStore__Kind, 'S3');
  assert.equal(s.portal.environment.Aws__ServiceUrls__S3, 'http://minio:9000');
  assert.equal(s.portal.read_only, true);
  assert.equal(s.postgres.environment.POSTGRES_HOST_AUTH_METHOD, 'trust');
  assert.equal(s.postgres.ports, undefined, 'the trust-auth database is never published');
  assert.equal(doc.networks.backend.internal, true);
  // The image's writable paths are the ones compose mounts.
  const df = fs.readFileSync(path.join(repo, 'Dockerfile'), 'utf8');
  assert.match(df, /VOLUME \["\/var\/lib\/extractportal", "\/tmp"\]/);
  assert.ok(s.portal.volumes.some(v => v.endsWith(':/var/lib/extractportal')));
  assert.deepEqual(s.portal.tmpfs, ['/tmp']);
  assert.match(df, /dotnet publish src\/ExtractPortal\/ExtractPortal\.csproj -c Release -r linux-x64 --self-contained false/);
});

test('every rule has a description', () => {
  for (const [k, v] of Object.entries(RULES)) assert.ok(v.length > 10, k);
});

// ---------------------------------------------------------------- compose rules
test('good compose snippet is clean', () => assert.deepEqual(goodCompose(), []));

test('compose_parse: YAML that does not parse', () =>
  expectRule('compose_parse', compose('services:\n  db:\n    image: [unclosed\n'), goodCompose()));
test('compose_parse: no services', () =>
  expectRule('compose_parse', compose('volumes:\n  x: {}\n'), goodCompose()));
test('compose_parse: a duplicated key', () =>
  expectRule('compose_parse', compose('services:\n  db:\n    image: postgres:17\n    image: postgres:16\n'), goodCompose()));

test('compose_missing_file: build context that does not exist', () =>
  expectRule('compose_missing_file', compose(GOOD_COMPOSE.replace('context: ..', 'context: ../nope')), goodCompose()));
test('compose_missing_file: Dockerfile that does not exist', () =>
  expectRule('compose_missing_file', compose(GOOD_COMPOSE.replace('dockerfile: Dockerfile', 'dockerfile: docker/Dockerfile.portal')), goodCompose()));
test('compose_missing_file: bind-mount source that does not exist', () =>
  expectRule('compose_missing_file', compose(GOOD_COMPOSE.replace('./init.sh:/init.sh:ro', './seed.sh:/init.sh:ro')), goodCompose()));
test('compose_missing_file: env_file that does not exist', () =>
  expectRule('compose_missing_file', compose(GOOD_COMPOSE.replace('    depends_on:', '    env_file: ./portal.env\n    depends_on:')), goodCompose()));

test('compose_undefined: depends_on an undefined service', () =>
  expectRule('compose_undefined', compose(GOOD_COMPOSE.replace('      db:\n        condition', '      postgres:\n        condition')), goodCompose()));
test('compose_undefined: an undeclared network', () =>
  expectRule('compose_undefined', compose(GOOD_COMPOSE.replace('networks: [backend, frontend]', 'networks: [backend, public]')), goodCompose()));
test('compose_undefined: an undeclared named volume', () =>
  expectRule('compose_undefined', compose(GOOD_COMPOSE.replace('- pgdata:/var/lib', '- pg-data:/var/lib')), goodCompose()));

test('compose_env_example: a missing .env.example', () =>
  expectRule('compose_env_example', compose(GOOD_COMPOSE, { envExample: null }), goodCompose()));
test('compose_env_example: an interpolated variable not in .env.example', () =>
  expectRule('compose_env_example', compose(GOOD_COMPOSE, { envExample: 'MINIO_ROOT_USER=\n' }), goodCompose()));
test('compose_env_example: .env.example with a real secret value', () =>
  expectRule('compose_env_example', compose(GOOD_COMPOSE, { envExample: 'MINIO_ROOT_USER=admin\nMINIO_ROOT_PASSWORD=minio-s3cret-123\n' }), goodCompose()));
test('compose_env_example: a secret interpolated with a default instead of :?', () =>
  expectRule('compose_env_example', compose(GOOD_COMPOSE.replace('${MINIO_ROOT_PASSWORD:?set it in docker/.env}', '${MINIO_ROOT_PASSWORD:-minioadmin}')), goodCompose()));

test('compose_trust_exposed: a trust-auth PostgreSQL with a published port', () =>
  expectRule('compose_trust_exposed', compose(GOOD_COMPOSE.replace('    networks: [backend]\n  store', '    ports: ["5432:5432"]\n    networks: [backend]\n  store')), goodCompose()));

test('literal_secret: a literal password in a service environment', () =>
  expectRule('literal_secret', compose(GOOD_COMPOSE.replace('${MINIO_ROOT_PASSWORD:?set it in docker/.env}', 'minio-s3cret-123')), goodCompose()));
test('literal_secret: a password inside a connection string', () =>
  expectRule('literal_secret', compose(GOOD_COMPOSE.replace('Username=postgres', 'Username=postgres;Password=hunter2')), goodCompose()));
test('literal_secret: credentials in a URL (list-style environment)', () =>
  expectRule('literal_secret', compose(GOOD_COMPOSE.replace('      Portal__OdsConnectionString: Host=db;Database=ods;Username=postgres', '      - DATABASE_URL=postgres://postgres:hunter2@db/ods')), goodCompose()));
test('literal_secret: an AWS secret key in the environment', () =>
  expectRule('literal_secret', compose(GOOD_COMPOSE.replace('      Portal__OdsConnectionString:', '      AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n      Portal__OdsConnectionString:')), goodCompose()));

// ---------------------------------------------------------------- Dockerfile rules
test('good Dockerfile snippet is clean', () => assert.deepEqual(good(), []));

test('dockerfile_parse: no FROM at all', () => expectRule('dockerfile_parse', dockerfile('RUN echo hi\n'), good()));
test('dockerfile_parse: an unknown instruction', () =>
  expectRule('dockerfile_parse', dockerfile(GOOD_DOCKERFILE.replace('WORKDIR /src', 'WORKDIRR /src')), good()));

test('dockerfile_copy_source: a COPY source that does not exist', () =>
  expectRule('dockerfile_copy_source', dockerfile(GOOD_DOCKERFILE.replace('COPY app.csproj ./', 'COPY App.csproj ./')), good()));
test('dockerfile_copy_source: a glob that matches nothing', () =>
  expectRule('dockerfile_copy_source', dockerfile(GOOD_DOCKERFILE.replace('COPY app.csproj ./', 'COPY *.sln ./')), dockerfile(GOOD_DOCKERFILE.replace('COPY app.csproj ./', 'COPY *.csproj ./'))));
test('dockerfile_copy_source: a source excluded by .dockerignore', () =>
  expectRule('dockerfile_copy_source', dockerfile(GOOD_DOCKERFILE, { '.dockerignore': '**/bin/\nsrc/\n' }), dockerfile(GOOD_DOCKERFILE, { '.dockerignore': '**/bin/\n**/obj/\n' })));
test('dockerfile_copy_source: a source outside the context', () =>
  expectRule('dockerfile_copy_source', dockerfile(GOOD_DOCKERFILE.replace('COPY src/ src/', 'COPY ../secrets/ src/')), good()));

test('dockerfile_stage: --from= a stage that is not defined', () =>
  expectRule('dockerfile_stage', dockerfile(GOOD_DOCKERFILE.replace('--from=build', '--from=builder')), good()));
test('dockerfile_stage: --from= a stage defined later', () =>
  expectRule('dockerfile_stage', dockerfile(GOOD_DOCKERFILE.replace('COPY --from=build /app ./', 'COPY --from=late /x ./') + 'FROM scratch AS late\nUSER 1\nEXPOSE 8080\nHEALTHCHECK CMD ["x"]\n'), good()));
test('dockerfile_stage: FROM a stage name that does not exist', () =>
  expectRule('dockerfile_stage', dockerfile(GOOD_DOCKERFILE.replace('FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime', 'FROM base AS runtime')), good()));

test('dockerfile_user: no USER in the final stage', () =>
  expectRule('dockerfile_user', dockerfile(GOOD_DOCKERFILE.replace('USER 1654:1654\n', '')), good()));
test('dockerfile_user: USER root', () =>
  expectRule('dockerfile_user', dockerfile(GOOD_DOCKERFILE.replace('USER 1654:1654', 'USER root')), good()));
test('dockerfile_user: a USER only in the build stage does not count', () =>
  expectRule('dockerfile_user', dockerfile(GOOD_DOCKERFILE.replace('USER 1654:1654\n', '').replace('WORKDIR /src', 'WORKDIR /src\nUSER 1654')), good()));

test('dockerfile_healthcheck: no HEALTHCHECK', () =>
  expectRule('dockerfile_healthcheck', dockerfile(GOOD_DOCKERFILE.replace(/HEALTHCHECK .*\n/, '')), good()));
test('dockerfile_healthcheck: HEALTHCHECK NONE', () =>
  expectRule('dockerfile_healthcheck', dockerfile(GOOD_DOCKERFILE.replace(/HEALTHCHECK .*\n/, 'HEALTHCHECK NONE\n')), good()));

test('dockerfile_expose: no EXPOSE 8080', () =>
  expectRule('dockerfile_expose', dockerfile(GOOD_DOCKERFILE.replace('EXPOSE 8080', 'EXPOSE 80')), good()));

test('dockerfile_base_pin: a base image on :latest or without a tag', () => {
  expectRule('dockerfile_base_pin', dockerfile(GOOD_DOCKERFILE.replace('aspnet:10.0', 'aspnet:latest')), good());
  expectRule('dockerfile_base_pin', dockerfile(GOOD_DOCKERFILE.replace('aspnet:10.0', 'aspnet')), good());
});

test('literal_secret: ENV with a literal password', () =>
  expectRule('literal_secret', dockerfile(GOOD_DOCKERFILE.replace('ENV ASPNETCORE_HTTP_PORTS=8080', 'ENV DB_PASSWORD=hunter2 ASPNETCORE_HTTP_PORTS=8080')), good()));
test('literal_secret: ENV with a connection string holding a password', () =>
  expectRule('literal_secret', dockerfile(GOOD_DOCKERFILE.replace('ENV ASPNETCORE_HTTP_PORTS=8080', 'ENV Portal__OdsConnectionString="Host=db;Password=hunter2" ASPNETCORE_HTTP_PORTS=8080')), good()));
test('literal_secret: a secret build argument', () =>
  expectRule('literal_secret', dockerfile(GOOD_DOCKERFILE.replace('WORKDIR /src', 'WORKDIR /src\nARG NUGET_API_KEY')), good()));

test('literal_secret: plain-text scan of scripts and examples', () => {
  const dir = context({ 'bad.sh': 'export MINIO_ROOT_PASSWORD=minio-s3cret-123\n', 'good.sh': 'mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "${MINIO_ROOT_PASSWORD:?}"\n',
    'bad.md': 'Portal__OdsConnectionString="Host=db;Password=hunter2"\n', 'good.md': 'AWS_SECRET_ACCESS_KEY=<your key>\n' });
  try {
    expectRule('literal_secret', scanText(path.join(dir, 'bad.sh')), scanText(path.join(dir, 'good.sh')));
    expectRule('literal_secret', scanText(path.join(dir, 'bad.md')), scanText(path.join(dir, 'good.md')));
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('.dockerignore matching follows Docker: **, trailing slashes, ! exceptions, last match wins', () => {
  const dir = context({ '.dockerignore': '**/bin/\n/data/\n*.md\n!README.md\n' });
  try {
    const ignored = dockerignore(dir);
    assert.equal(ignored('src/App/bin/Release/x.dll'), true);
    assert.equal(ignored('bin/x'), true);
    assert.equal(ignored('data/portal.db'), true);
    assert.equal(ignored('src/data/x.cs'), false);
    assert.equal(ignored('NOTES.md'), true);
    assert.equal(ignored('README.md'), false);
    assert.equal(ignored('src/App/Program.cs'), false);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});
