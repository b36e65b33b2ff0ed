#!/usr/bin/env bash
# Terraform checks (no terraform binary needed): HCL + references + provider schema + policy rules,
# the failure-alert event pattern, and the SFTP server configuration against a real sshd.
# Prints a final line "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"

total_pass=0; total_fail=0
count_node() { # adds the "# pass N" / "# fail N" of a TAP log
  local p f
  p=$(grep -E '^# pass [0-9]+' "$1" | tail -1 | awk '{print $3}'); f=$(grep -E '^# fail [0-9]+' "$1" | tail -1 | awk '{print $3}')
  total_pass=$((total_pass + ${p:-0})); total_fail=$((total_fail + ${f:-1}))
}

[ -d node_modules/@cdktf/hcl2json ] && [ -d node_modules/@cdktf/provider-aws ] || { echo "node_modules missing: run scripts/install-test-deps.sh (npm ci)"; echo "0 passed, 1 failed"; exit 1; }

# 1. The provider schema, extracted from the pinned @cdktf/provider-aws manifest (about 2 s).
export TF_SCHEMA_FILE="$here/.cache/aws-provider.json"
if ! node "$here/lib/generate-schema.js" "$TF_SCHEMA_FILE"; then echo "schema extraction failed"; echo "0 passed, 1 failed"; exit 1; fi

# 2. Node tests: the static check and the event pattern.
log=$(mktemp)
node --test --test-reporter=tap "$here/check.test.js" "$here/events.test.js" >"$log" 2>&1
grep -E '^(ok|not ok) ' "$log" | sed 's/^/  /'
grep -q '^not ok' "$log" && { echo "--- failure details"; grep -A30 '^not ok' "$log" | head -150; }
count_node "$log"
rm -f "$log"

# 3. SFTP: Debian's sshd with the provisioning script's config (needs root).
sftp_log=$(mktemp)
"$here/sftp/sftp-server.test.sh" >"$sftp_log" 2>&1
sed 's/^/  /' "$sftp_log" | grep -v 'passed, .* failed$'
p=$(tail -1 "$sftp_log" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1/p'); f=$(tail -1 "$sftp_log" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\2/p')
[ -n "$p" ] || { p=0; f=1; echo "  not ok - the SFTP test did not finish"; }
total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
rm -f "$sftp_log"

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
