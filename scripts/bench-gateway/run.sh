#!/usr/bin/env bash
# Gateway benchmark, side by side on this machine with the same upstream:
#   (a) direct to the upstream,
#   (b) Warden, TLS off, all layers on (JWT, rate limit, WAF, schema, access log),
#   (c) nginx with limit_req and ModSecurity + OWASP CRS 3.3 (Debian packages),
#   (d) for reference, nginx as a plain reverse proxy (the cost of one more hop, nothing else).
# Throughput and p50/p99 latency with wrk (64 connections); latency at 5,000 req/s twice: paced
# (oha: one request every 200 µs, open loop, latency from the scheduled send time, so no
# coordinated omission) and bursty (hey: 50 workers each firing 100 req/s on synchronised
# ticks, i.e. bursts of 50 every 10 ms); the gateway's own time per request (its access log:
# duration minus upstream wait) during the paced run; then the WAF corpus through Warden and
# through ModSecurity+CRS (scripts/bench-gateway/corpus.py).
#
# Needs: nginx libnginx-mod-http-modsecurity modsecurity-crs wrk hey (Debian), python3, cargo,
# oha (crates.io):
#   apt-get install -y nginx libnginx-mod-http-modsecurity modsecurity-crs wrk hey
#   cargo install oha --locked --version 1.16.0
# Usage: scripts/bench-gateway/run.sh [DURATION_SECS]   (results in $WORK/results.txt)
set -euo pipefail

DUR=${1:-10}
CONNS=${CONNS:-64}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/warden-target}
UP_PORT=18081 WARDEN_PORT=18082 NGINX_PORT=18083 PLAIN_PORT=18084
WORK=${WORK:-$(mktemp -d /tmp/bench-gateway.XXXXXX)}
mkdir -p "$WORK"
RESULTS=$WORK/results.txt

OHA=${OHA:-$(command -v oha || echo "$HOME/.cargo/bin/oha")}
[ -x "$OHA" ] || { echo "missing oha (cargo install oha --locked --version 1.16.0, or OHA=path)"; exit 2; }
for tool in nginx wrk hey python3 cargo; do
  command -v "$tool" >/dev/null || { echo "missing $tool (see the header of $0)"; exit 2; }
done
[ -f /usr/lib/nginx/modules/ngx_http_modsecurity_module.so ] || { echo "missing libnginx-mod-http-modsecurity"; exit 2; }
[ -d /usr/share/modsecurity-crs/rules ] || { echo "missing modsecurity-crs"; exit 2; }

echo "building the gateway (release)…"
(cd "$ROOT" && cargo build --quiet --release -p warden_gateway --features testkit --example bench_gateway)
BIN=$CARGO_TARGET_DIR/release/examples/bench_gateway
TOKEN=$("$BIN" token)
"$BIN" jwks > "$WORK/jwks.json"

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for conf in upstream modsec plain; do
    [ -f "$WORK/$conf.pid" ] && kill "$(cat "$WORK/$conf.pid")" 2>/dev/null || true
  done
}
trap cleanup EXIT

nginx_common() { # $1 = name
  cat <<NGX
pid $WORK/$1.pid;
error_log $WORK/$1-error.log warn;
events { worker_connections 4096; }
NGX
}
temp_paths() {
  cat <<NGX
    client_body_temp_path $WORK/tmp-body; proxy_temp_path $WORK/tmp-proxy;
    fastcgi_temp_path $WORK/tmp-fcgi; uwsgi_temp_path $WORK/tmp-uwsgi; scgi_temp_path $WORK/tmp-scgi;
NGX
}

# The upstream: nginx answering 200 "ok" from memory, one worker.
{ echo "worker_processes 1;"; nginx_common upstream
  cat <<NGX
http {
$(temp_paths)
    access_log off;
    keepalive_requests 1000000;
    server { listen 127.0.0.1:$UP_PORT; location / { return 200 "ok"; } }
}
NGX
} > "$WORK/upstream.conf"
nginx -p "$WORK" -c "$WORK/upstream.conf"

# (b) Warden.
cat > "$WORK/warden.toml" <<TOML
[server]
listen = "127.0.0.1:$WARDEN_PORT"
[log]
access = { file = "$WORK/warden-access.log" }
[waf]
mode = "block"
[upstreams.app]
kind = "http"
url = "http://127.0.0.1:$UP_PORT"
[authorizers.users]
kind = "jwt"
jwks_file = "$WORK/jwks.json"
issuers = ["https://issuer.test"]
audiences = ["warden-api"]
algorithms = ["RS256"]
[[routes]]
id = "api"
methods = ["GET"]
path = "/api/{id}"
upstream = "app"
authorizers = ["users"]
rate_limit = { rate = 1000000, burst = 1000000, key = "ip" }
[routes.schema]
query = { type = "object", properties = { q = { type = "string", maxLength = 64 }, page = { type = "string", pattern = "^[0-9]+\$" } }, additionalProperties = false }
path = { type = "object", properties = { id = { type = "string", pattern = "^[0-9]+\$" } } }
[[routes]]
id = "corpus"
path = "/c/{proxy+}"
upstream = "app"
public = true
TOML
"$BIN" serve "$WORK/warden.toml" 2> "$WORK/warden.stderr" &
PIDS+=($!)

# (c) nginx + limit_req + ModSecurity + CRS 3.3 (paranoia level 1, anomaly threshold 5).
cat > "$WORK/modsec-main.conf" <<MS
Include /etc/nginx/modsecurity.conf
SecRuleEngine On
SecAuditEngine Off
SecResponseBodyAccess Off
Include /etc/modsecurity/crs/crs-setup.conf
Include /etc/modsecurity/crs/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf
Include /usr/share/modsecurity-crs/rules/*.conf
Include /etc/modsecurity/crs/RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf
MS
{ echo "load_module /usr/lib/nginx/modules/ngx_http_modsecurity_module.so;"
  echo "worker_processes auto;"; nginx_common modsec
  cat <<NGX
http {
$(temp_paths)
    access_log $WORK/nginx-access.log;
    keepalive_requests 1000000;
    limit_req_zone \$binary_remote_addr zone=api:10m rate=1000000r/s;
    upstream app { server 127.0.0.1:$UP_PORT; keepalive 64; }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        modsecurity on;
        modsecurity_rules_file $WORK/modsec-main.conf;
        location / {
            limit_req zone=api burst=1000000 nodelay;
            limit_req_status 429;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_pass http://app;
        }
    }
}
NGX
} > "$WORK/modsec.conf"
nginx -p "$WORK" -c "$WORK/modsec.conf"

# (d) Reference: nginx as a plain reverse proxy (no limit_req, no ModSecurity, no access log),
# one worker like the upstream: the cost of the extra hop alone, in C.
{ echo "worker_processes 1;"; nginx_common plain
  cat <<NGX
http {
$(temp_paths)
    access_log off;
    keepalive_requests 1000000;
    upstream app { server 127.0.0.1:$UP_PORT; keepalive 64; }
    server {
        listen 127.0.0.1:$PLAIN_PORT;
        location / { proxy_http_version 1.1; proxy_set_header Connection ""; proxy_pass http://app; }
    }
}
NGX
} > "$WORK/plain.conf"
nginx -p "$WORK" -c "$WORK/plain.conf"

PATHQ="/api/42?q=hello&page=2"
for port in $UP_PORT $WARDEN_PORT $NGINX_PORT $PLAIN_PORT; do
  for _ in $(seq 100); do
    code=$(python3 -c "import http.client,sys
c=http.client.HTTPConnection('127.0.0.1',$port,timeout=2)
try:
  c.request('GET','$PATHQ',headers={'Authorization':'Bearer $TOKEN'}); print(c.getresponse().status)
except Exception: print(0)")
    [ "$code" = 200 ] && break
    sleep 0.1
  done
  [ "$code" = 200 ] || { echo "port $port answers $code"; cat "$WORK"/*error.log "$WORK/warden.stderr" 2>/dev/null; exit 1; }
done

AUTH="Authorization: Bearer $TOKEN"
# A browser-like request: without User-Agent and Accept, CRS scores the load generators' bare
# requests as anomalies and refuses them.
UA_VALUE="Mozilla/5.0 (X11; Linux x86_64) bench"
UA="User-Agent: $UA_VALUE"
ACCEPT="Accept: application/json"
{
  echo "# $(date -u +%FT%TZ) $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# wrk -t2 -c$CONNS -d${DUR}s --latency | paced: oha -q 5000 -c 50 --latency-correction | bursty: hey -c 50 -q 100"
  printf "%-11s %11s %9s %9s | %-23s | %-23s\n" target "req/s" "p50" "p99" "paced 5000/s p50 / p99" "bursty 5000/s p50 / p99"
} | tee "$RESULTS"
for t in direct:$UP_PORT warden:$WARDEN_PORT nginx:$NGINX_PORT nginx-plain:$PLAIN_PORT; do
  name=${t%%:*} port=${t##*:}
  url="http://127.0.0.1:$port$PATHQ"
  wrk -t2 -c"$CONNS" -d2s -H "$AUTH" -H "$UA" -H "$ACCEPT" "$url" > /dev/null   # warm-up
  wrk -t2 -c"$CONNS" -d"${DUR}s" --latency -H "$AUTH" -H "$UA" -H "$ACCEPT" "$url" > "$WORK/wrk-$name.txt"
  [ "$name" = warden ] && : > "$WORK/warden-access.log"   # the paced run's lines only
  "$OHA" -z "${DUR}s" -q 5000 -c 50 --latency-correction --no-tui --output-format json \
    -H "$AUTH" -H "$UA" -H "$ACCEPT" "$url" > "$WORK/oha-$name.json"
  [ "$name" = warden ] && sleep 0.2 && cp "$WORK/warden-access.log" "$WORK/warden-access-paced.log"
  hey -z "${DUR}s" -c 50 -q 100 -H "$AUTH" -H "$UA" -A "application/json" -T "application/json" "$url" > "$WORK/hey-$name.txt"
  rps=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk-$name.txt")
  p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk-$name.txt")
  p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk-$name.txt")
  paced=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); p=d['latencyPercentiles']; c=d.get('statusCodeDistribution',{})
bad=sum(v for k,v in c.items() if k!='200')
print('%.2fms / %.2fms%s' % (p['p50']*1e3, p['p99']*1e3, ' (non-200: %d)' % bad if bad else ''))" "$WORK/oha-$name.json")
  h50=$(awk '/50% in/ {printf "%.2fms", $3*1000}' "$WORK/hey-$name.txt")
  h99=$(awk '/99% in/ {printf "%.2fms", $3*1000}' "$WORK/hey-$name.txt")
  hrps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/hey-$name.txt")
  non200=$(grep -E '^\s+\[[0-9]+\]' "$WORK/hey-$name.txt" | grep -v '\[200\]' | tr -s ' \t' ' ' || true)
  wrk_non2xx=$(awk '/Non-2xx/ {print $NF}' "$WORK/wrk-$name.txt")
  [ -n "$wrk_non2xx" ] && non200="$non200 wrk non-2xx: $wrk_non2xx"
  printf "%-11s %11s %9s %9s | %-23s | %-23s (hey %s req/s)%s\n" "$name" "$rps" "$p50" "$p99" "$paced" "$h50 / $h99" "$hrps" "${non200:+ non-200: $non200}" | tee -a "$RESULTS"
done
python3 - "$WORK/warden-access-paced.log" <<'PY' | tee -a "$RESULTS"
import json, sys
own, up = [], []
for line in open(sys.argv[1]):
    j = json.loads(line)
    if j.get("route") != "api":
        continue
    own.append(j["duration_us"] - j.get("upstream_us", 0))
    up.append(j.get("upstream_us", 0))
def pct(a, q):
    a = sorted(a)
    return a[min(len(a) - 1, int(len(a) * q))] if a else 0
print("# warden, paced run, from its access log (%d requests): own processing p50 %d us, p99 %d us; "
      "upstream wait p50 %d us, p99 %d us" % (len(own), pct(own, .5), pct(own, .99), pct(up, .5), pct(up, .99)))
PY
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS"

echo "# WAF corpus (crates/warden_gateway/tests/data/waf_corpus.tsv), blocked = 403" | tee -a "$RESULTS"
python3 "$HERE/corpus.py" "$ROOT/crates/warden_gateway/tests/data/waf_corpus.tsv" \
  "warden=http://127.0.0.1:$WARDEN_PORT" "modsecurity-crs=http://127.0.0.1:$NGINX_PORT" \
  --token "$TOKEN" | tee -a "$RESULTS"
echo "results: $RESULTS"
