#!/usr/bin/env bash
# Container checks (no Docker engine needed): the Dockerfile (stages, COPY sources vs the build
# context and .dockerignore, non-root USER, HEALTHCHECK, EXPOSE 8080, pinned bases, no secrets) and
# docker/compose.yaml (parses, files and references exist, .env.example, no literal secrets).
# Prints a final line "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"

[ -d node_modules/yaml ] || { echo "node_modules missing: run scripts/install-test-deps.sh (npm ci)"; echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
node --test --test-reporter=tap "$here/check.test.js" >"$log" 2>&1
grep -E '^(ok|not ok) ' "$log" | sed 's/^/  /'
grep -q '^not ok' "$log" && { echo "--- failure details"; grep -A30 '^not ok' "$log" | head -150; }
pass=$(grep -E '^# pass [0-9]+' "$log" | tail -1 | awk '{print $3}'); fail=$(grep -E '^# fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
rm -f "$log"
pass=${pass:-0}; fail=${fail:-1}
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
