#!/usr/bin/env python3
"""Sends the labelled WAF corpus (label, family, location, payload) through HTTP targets and
reports detection (attacks answered 403) and false positives (benign requests answered 403),
per target and per family. Samples are placed as the gateway's own corpus test places them
(crates/warden_gateway/src/waf/tests.rs): q = query value `v`, p = path suffix, h = User-Agent,
c = cookie `s`, j = JSON field `v`, f = form body, x = XML body; under the path prefix /c/api.

usage: corpus.py CORPUS.tsv NAME=URL... [--token JWT]
"""
import collections
import http.client
import json
import sys
import urllib.parse


def load(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            label, family, loc, payload = line.rstrip("\n").split("\t", 3)
            out.append((label == "attack", family, loc, payload))
    return out


# Bytes a client sends as they are in a request target (RFC 3986 unreserved, sub-delims, ":@/?");
# everything else is percent-encoded, as browsers and HTTP libraries do. `&=#+%` are encoded in
# query values so that the value stays one parameter.
URI_OK = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$'()*,;:@/?")


def encode(p, keep=b""):
    return "".join(chr(b) if b in URI_OK or b in keep else "%%%02X" % b for b in p.encode())


def encode_query(p):
    return encode(p)


def request(base, sample, token):
    attack, family, loc, payload = sample
    u = urllib.parse.urlsplit(base)
    # Browser-like defaults (CRS scores requests without them); the `h` samples replace the
    # User-Agent.
    path, body = "/c/api", None
    headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) corpus", "Accept": "*/*"}
    if token:
        headers["Authorization"] = "Bearer " + token
    if loc == "q":
        path += "?v=" + encode_query(payload)
    elif loc == "p":
        path += "/" + encode(payload, keep=b"%")
    elif loc == "h":
        headers["User-Agent"] = payload
    elif loc == "c":
        headers["Cookie"] = "s=" + payload
    elif loc == "j":
        headers["Content-Type"] = "application/json"
        body = json.dumps({"v": payload})
    elif loc == "f":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = payload
    elif loc == "x":
        headers["Content-Type"] = "application/xml"
        body = payload
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    try:
        conn.putrequest("POST" if body is not None else "GET", path, skip_accept_encoding=True)
        for k, v in headers.items():
            conn.putheader(k, v)
        data = body.encode() if body is not None else b""
        if body is not None:
            conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data if body is not None else None)
        return conn.getresponse().status
    except Exception:
        return 0
    finally:
        conn.close()


def main():
    args = sys.argv[1:]
    token = None
    if "--token" in args:
        i = args.index("--token")
        token = args[i + 1]
        del args[i : i + 2]
    samples = load(args[0])
    for target in args[1:]:
        name, base = target.split("=", 1)
        tp = fp = 0
        attacks = sum(1 for s in samples if s[0])
        benign = len(samples) - attacks
        per_family = collections.defaultdict(lambda: [0, 0])
        other = collections.Counter()
        fps = []
        for s in samples:
            status = request(base, s, token)
            blocked = status == 403
            if s[0]:
                per_family[s[1]][1] += 1
                if blocked:
                    tp += 1
                    per_family[s[1]][0] += 1
            elif blocked:
                fp += 1
                fps.append(f"{s[1]}/{s[2]} {s[3][:60]!r}")
            if status not in (200, 403):
                other[status] += 1
        fams = ", ".join(f"{f} {d}/{n}" for f, (d, n) in sorted(per_family.items()))
        print(
            f"{name}: detected {tp}/{attacks} attacks ({100 * tp / attacks:.1f}%), "
            f"false positives {fp}/{benign} ({100 * fp / benign:.1f}%)"
        )
        print(f"  per family: {fams}")
        for f in fps[:10]:
            print(f"  false positive: {f}")
        if other:
            print(f"  other statuses (neither 200 nor 403): {dict(other)}")


if __name__ == "__main__":
    main()
