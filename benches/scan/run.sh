#!/usr/bin/env bash
# Scan benchmark: `warden scan` on a checkout of aws-samples/serverless-patterns (kept outside
# this repository), side by side with cfn-lint and Checkov when they are installed.
#
#   benches/scan/run.sh /path/to/serverless-patterns [runs]
#
# Prints wall time and peak RSS (GNU time) for each tool. Build first:
#   cargo build --release -p warden
set -euo pipefail
corpus="${1:?usage: run.sh /path/to/serverless-patterns [runs]}"
runs="${2:-5}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
warden="${WARDEN:-${CARGO_TARGET_DIR:-$here/target}/release/warden}"
[ -x "$warden" ] || { echo "build first: cargo build --release -p warden ($warden missing)"; exit 2; }

measure() { # label, command...
  local label="$1"; shift
  local log; log=$(mktemp)
  /usr/bin/time -o "$log" -f '%e %M' "$@" >/dev/null 2>&1 || true
  local out; out=$(tail -1 "$log"); rm -f "$log"
  printf '%-28s wall %6ss  peak RSS %7s MB\n' "$label" "${out% *}" "$(( ${out#* } / 1024 ))"
}

echo "corpus: $corpus ($(find "$corpus" -type f -not -path '*/.git/*' | wc -l) files)"
"$warden" scan "$corpus" --format json --fail-on none -q \
  | python3 -c 'import json,sys,collections; r=json.load(sys.stdin); s=r["stats"]; print("warden: files", s["files_scanned"], "apps", s["apps"], "functions", s["functions"], "findings", len(r["findings"]), "errors", len(r["errors"])); print(" by rule:", dict(sorted(collections.Counter(f["rule"] for f in r["findings"]).items())))'
for i in $(seq "$runs"); do measure "warden scan (run $i)" "$warden" scan "$corpus" --format json --fail-on none -q; done
measure "warden scan --jobs 1" "$warden" scan "$corpus" --format json --fail-on none -q --jobs 1
if command -v cfn-lint >/dev/null; then
  templates=$(mktemp)
  find "$corpus" \( -name node_modules -o -name .git -o -name cdk.out \) -prune -o -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \) -print0 \
    | xargs -0 grep -l -E 'AWSTemplateFormatVersion|AWS::Serverless-2016-10-31' 2>/dev/null > "$templates" || true
  echo "cfn-lint over $(wc -l < "$templates") templates"
  # cfn-lint aborts a whole invocation on some templates (e.g. `Resources:` null), so it runs in
  # batches of 25: a crash loses only its batch.
  measure "cfn-lint (batches of 25)" sh -c "xargs -d '\\n' -n 25 cfn-lint --format parseable < '$templates'"
fi
if command -v checkov >/dev/null; then
  measure "checkov (cloudformation)" checkov -d "$corpus" --framework cloudformation --quiet --compact -o json
fi
