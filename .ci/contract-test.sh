#!/usr/bin/env bash
# Contract test: schemathesis (PyPI, in a virtual environment) against a started service, with every check
# (schemathesis enables all by default; test/contract/schemathesis.toml says which answers are right,
# and a `--checks all` would override it), a fixed seed and a bounded number of examples per operation,
# once per role (viewer, operator, admin).
# Its report is indented and tagged: its pytest-like closing banners ("=== No issues found in 8s ===") must
# not read, to a tool scanning the CI log, as a test runner that ran no test. Any failure fails the script.
# Tunables: CONTRACT_MAX_EXAMPLES (default 8), CONTRACT_SEED (default 11).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.cache/schemathesis-venv
MAX_EXAMPLES=${CONTRACT_MAX_EXAMPLES:-8}
SEED=${CONTRACT_SEED:-11}
START=$SECONDS

if [ ! -x "$VENV/bin/st" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check schemathesis
fi
"$VENV/bin/st" --version

WORK=$(mktemp -d)
SERVICE_PID=
cleanup() {
  [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# node itself, not npx: the PID must be the service's, so the trap's SIGTERM reaches it (it then stops its
# engine and devnet) instead of leaving it running behind an npx wrapper.
node -r ts-node/register/transpile-only -r tsconfig-paths/register test/contract/start-service.ts \
  "$WORK/service.json" >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 120); do
  [ -s "$WORK/service.json" ] && break
  kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$WORK/service.log"; exit 1; }
  sleep 1
done
[ -s "$WORK/service.json" ] || { echo "service did not start"; cat "$WORK/service.log"; exit 1; }
field() { python3 -c "import json,sys; d=json.load(open('$WORK/service.json')); print(eval('d' + sys.argv[1]))" "$1"; }
URL=$(field "['url']")

# Replacing the policies (rate limits, IP allow-lists), halting all payouts or disabling a hot wallet changes
# what every other route answers, so those paths run last, in their own pass, after every other operation
# was tested.
SERVICE_WIDE='^/api/v1/tron/usdt/(policies|admin/emergency-stop|wallets/[^/]+/(disable|enable))$'

contract() {
  local role=$1
  shift
  NO_COLOR=1 PYTHONPATH=test/contract SCHEMATHESIS_HOOKS=tron_formats CONTRACT_SERVICE_FILE="$WORK/service.json" \
     "$VENV/bin/st" --config-file test/contract/schemathesis.toml run "$URL/docs-json" \
    --url "$URL" \
    --header "Authorization: Bearer $(field "['tokens']['$role']")" \
    --seed "$SEED" \
    --max-examples "$MAX_EXAMPLES" \
    "$@" 2>&1 | sed 's/^/  [schemathesis] /'
}

status=0
for role in viewer operator admin; do
  echo "== schemathesis as $role"
  contract "$role" --exclude-path-regex "$SERVICE_WIDE" || status=1
done
for role in viewer operator admin; do
  echo "== schemathesis as $role: service-wide policy, emergency-stop and wallet disable/enable routes"
  contract "$role" --include-path-regex "$SERVICE_WIDE" || status=1
done
echo "contract test finished in $((SECONDS - START)) s"
exit $status
