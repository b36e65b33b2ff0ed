#!/usr/bin/env bash
# Runs the Glue job's tests with Debian's interpreter, where python3-pytest and python3-boto3
# are installed (the pyenv python on PATH has neither). Exit code: non-zero on any failure,
# including pytest's 5 ("no tests collected"), so an empty run can never pass.
set -uo pipefail
cd "$(dirname "$0")/../.."
/usr/bin/python3 -m pytest -p no:cacheprovider Glue/tests "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "Glue/tests/run.sh: pytest collected no tests; treating that as a failure" >&2
  exit 1
fi
exit "$status"
