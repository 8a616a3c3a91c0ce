#!/usr/bin/env bash
# The demo behind `make demo`: starts the local AWS (moto behind tools/localaws, signature
# checking on), seeds two organizations with member accounts and writes their shared-config
# profiles into a temporary folder, then shows what orgbatch reaches through each profile.
# Everything it starts is stopped when it ends.
set -euo pipefail
ORGBATCH=${1:-.build/release/orgbatch}
PYTHON=${PYTHON:-python3}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# 1. The local AWS, on a free loopback port.
"$PYTHON" "$here/tools/localaws/localaws.py" serve --port 0 --auth >"$work/ready.json" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do [ -s "$work/ready.json" ] && break; sleep 0.1; done
endpoint=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["endpoint"])' "$work/ready.json")
echo "local AWS: $endpoint (signatures checked)"

# 2. Two organizations, each reached through a role_arn + source_profile profile.
cat >"$work/spec.json" <<'SPEC'
{"orgs": [
  {"name": "prod", "ous": ["Workloads", "Workloads/Web", "Suspended"],
   "accounts": [{"name": "web-1", "email": "web-1@prod.example.com", "ou": "Workloads/Web"},
                {"name": "web-2", "email": "web-2@prod.example.com", "ou": "Workloads/Web"},
                {"name": "old", "email": "old@prod.example.com", "ou": "Suspended", "state": "SUSPENDED"}]},
  {"name": "sandbox", "accounts": [{"name": "play-1", "email": "play-1@sandbox.example.com"}]}
]}
SPEC
"$PYTHON" "$here/tools/localaws/localaws.py" seed --endpoint "$endpoint" --spec "$work/spec.json" --out "$work/aws" >/dev/null
export AWS_CONFIG_FILE="$work/aws/config" AWS_SHARED_CREDENTIALS_FILE="$work/aws/credentials"
echo
echo "shared config written for the demo ($AWS_CONFIG_FILE):"
sed 's/^/  /' "$AWS_CONFIG_FILE"

# 3. What each profile reaches.
echo
for profile in prod sandbox; do
  echo "\$ orgbatch whoami --profile $profile"
  "$ORGBATCH" whoami --profile "$profile"
done
