#!/usr/bin/env bash
# The demo behind `make demo`: starts the local AWS (moto behind tools/localaws, signatures
# checked), seeds two organizations (scripts/demo-orgs.json: OUs, member accounts, one
# SUSPENDED and one CLOSED) and their shared-config profiles in a temporary folder, then runs
# jobs/rollout.yaml: plan, run, plan again (all unchanged). Stops everything it started.
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

show() {  # the report, one line per task, trimmed for the screen
  jq -c '{org, account, action, params, status, reason, after}' "$1" 2>/dev/null || cat "$1"
}

"$PYTHON" "$here/tools/localaws/localaws.py" serve --port 0 --auth >"$work/ready.json" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do [ -s "$work/ready.json" ] && break; sleep 0.1; done
endpoint=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["endpoint"])' "$work/ready.json")
"$PYTHON" "$here/tools/localaws/localaws.py" seed --endpoint "$endpoint" --spec "$here/scripts/demo-orgs.json" --out "$work/aws" >/dev/null
export AWS_CONFIG_FILE="$work/aws/config" AWS_SHARED_CREDENTIALS_FILE="$work/aws/credentials"
echo "== local AWS at $endpoint (signatures checked); organizations prod and sandbox seeded"
echo "== profiles ($AWS_CONFIG_FILE):"
grep '^\[profile\|role_arn' "$AWS_CONFIG_FILE" | sed 's/^/   /'

echo
echo "== orgbatch plan jobs/rollout.yaml"
status=0; "$ORGBATCH" plan "$here/jobs/rollout.yaml" --no-progress >"$work/plan.jsonl" || status=$?
show "$work/plan.jsonl"; echo "(exit $status: 2 means something would change)"

echo
echo "== orgbatch run jobs/rollout.yaml"
status=0; "$ORGBATCH" run "$here/jobs/rollout.yaml" --no-progress >"$work/run.jsonl" || status=$?
show "$work/run.jsonl"; echo "(exit $status)"

echo
echo "== orgbatch plan jobs/rollout.yaml (again: nothing left to do)"
status=0; "$ORGBATCH" plan "$here/jobs/rollout.yaml" --no-progress >"$work/plan2.jsonl" || status=$?
show "$work/plan2.jsonl"; echo "(exit $status: 0 means nothing would change)"

echo
echo "== jq: counts per org and status of the run"
jq -r '[.org, .status] | @tsv' "$work/run.jsonl" | sort | uniq -c
[ "$status" = 0 ]
