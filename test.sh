#!/usr/bin/env bash
# Runs every test suite of ExtractPortal; installs what they need first.
# Exit code: non-zero when any suite fails. Usage: ./test.sh
set -uo pipefail
cd "$(dirname "$0")"

./scripts/install-test-deps.sh || { echo "installing test dependencies failed"; exit 1; }

failed=()
suite() {
  local name=$1; shift
  echo; echo "=== suite: $name"
  if "$@"; then echo "=== suite passed: $name"; else echo "=== suite FAILED: $name"; failed+=("$name"); fi
}

suite ".NET (xunit: pipeline, portal, end-to-end)" dotnet test ExtractPortal.sln -c Release
suite "Glue job (pytest)" Glue/tests/run.sh
suite "Terraform checks (HCL, provider schema, policy rules, SFTP, alert pattern)" Terraform/tests/run.sh
suite "Container checks (Dockerfile, compose)" docker/tests/run.sh

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED suites: ${failed[*]}"
  exit 1
fi
echo "all suites passed"
