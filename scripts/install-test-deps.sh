#!/usr/bin/env bash
# Installs everything the test suites need, idempotently and non-interactively:
# Debian packages (only those missing), then the Node test tools from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(
  postgresql          # real PostgreSQL server used as the ODS in tests
  chromium            # real browser for the portal's end-to-end tests (driven by Playwright)
  python3-pytest      # Glue job tests
  python3-boto3       # Glue publishing code against an S3-compatible server
  python3-botocore    # AWS service models for the Glue/Logs protocol tests
  openssh-server      # the SFTP server configuration test
  openssh-client      # sftp/ssh-keygen for that test
  nodejs              # already present on our images; listed so a bare machine gets it
)
missing=()
for p in "${apt_packages[@]}"; do
  if [ "$p" = nodejs ] && command -v node >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node tools for the tests (HCL parser, AWS provider schema, S3/DynamoDB servers, Spark SQL grammar).
if ! cmp -s package-lock.json node_modules/.package-lock.json.ci 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.package-lock.json.ci
fi
