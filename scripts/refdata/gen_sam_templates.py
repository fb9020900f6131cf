#!/usr/bin/env python3
"""Regenerate crates/warden_input/data/sam_policy_templates.json.

Source: the SAM policy templates that the PyPI package `aws-sam-translator` (Apache-2.0) ships as
`samtranslator/policy_templates_data/policy_templates.json`. Run this script with the Python of a
virtual environment that has the package installed (scripts/refdata/regen.sh does it all).

Output (minified UTF-8 JSON, one object):
  {"header": {"source", "version", "licence", "generated"},
   "templates": [{"name", "description", "parameters": [names in upstream order],
                  "definition": {"Statement": [...]}}, ...]}   sorted by name
The definition is copied as published: `Fn::Sub`/`Ref` to the template parameters and to pseudo
parameters stay in place for the intrinsic resolver.
"""
import argparse
import datetime
import importlib.metadata
import json
import os
import pathlib
import sys

PACKAGE = "aws-sam-translator"


def generated_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch
           else datetime.datetime.now(datetime.timezone.utc))
    return now.strftime("%Y-%m-%d")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, type=pathlib.Path)
    args = ap.parse_args()

    import samtranslator  # noqa: PLC0415 (must come from the active environment)

    data_path = pathlib.Path(samtranslator.__file__).parent / "policy_templates_data" / "policy_templates.json"
    upstream = json.loads(data_path.read_text(encoding="utf-8"))
    version = importlib.metadata.version(PACKAGE)
    licence = importlib.metadata.metadata(PACKAGE).get("License") or "Apache-2.0"

    templates = []
    for name, body in sorted(upstream["Templates"].items()):
        definition = body["Definition"]
        if not isinstance(definition, dict) or not isinstance(definition.get("Statement"), list):
            sys.exit(f"template {name}: Definition has no Statement list")
        params = body.get("Parameters") or {}
        templates.append({
            "name": name,
            "description": body.get("Description", ""),
            "parameters": list(params.keys()),
            "definition": definition,
        })

    out = {
        "header": {
            "source": f"PyPI {PACKAGE} samtranslator/policy_templates_data/policy_templates.json",
            "version": version,
            "licence": "Apache-2.0" if "Apache" in licence else licence,
            "generated": generated_date(),
        },
        "templates": templates,
    }
    text = json.dumps(out, separators=(",", ":"), ensure_ascii=False)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {len(templates)} templates from {PACKAGE} {version}, {len(text.encode())} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
