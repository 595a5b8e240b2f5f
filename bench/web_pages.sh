#!/usr/bin/env bash
# Web pages under load: 20 signed-in users each fetch the catalog, an app page (with its launch
# form) and a finished run's page, against the packaged server on its embedded default (H2).
# Usage: bench/web_pages.sh [SECONDS] [USERS]   (needs ./mvnw package)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_MEASURED="${1:-20}"
USERS="${2:-20}"
PORT=18393
DATA="$(mktemp -d)"
QUARKUS_HTTP_PORT=$PORT PARASOL_DATA_DIR="$DATA" QUARKUS_LOG_LEVEL=WARN \
  java ${PARASOL_BENCH_JVM_OPTS:-} -jar platform/server/target/quarkus-app/quarkus-run.jar > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do
  curl -sf -u alice:alice "http://127.0.0.1:$PORT/api/v1/apps/heat-transfer" >/dev/null && break
  sleep 1
done
RUN=$(curl -sf -u alice:alice -H 'Content-Type: application/json' \
  -d '{"appId":"heat-transfer","inputs":{"nx":41,"ny":41,"duration":20,"cores":1}}' \
  "http://127.0.0.1:$PORT/api/v1/runs" | sed -E 's/.*"id":"([^"]+)".*/\1/')
for _ in $(seq 1 120); do
  curl -sf -u alice:alice "http://127.0.0.1:$PORT/api/v1/runs/$RUN" | grep -q '"state":"SUCCEEDED"' && break
  sleep 1
done
echo "Web pages, $USERS signed-in users, ${SECONDS_MEASURED}s per page, embedded default (H2):"
java -Xmx512m bench/WebPagesLoad.java "http://127.0.0.1:$PORT" alice "$USERS" "$SECONDS_MEASURED" \
  /ui/apps /ui/apps/heat-transfer "/ui/runs/$RUN"
echo "static assets (once per browser, then cached): parasol.css $(curl -s --compressed -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT/ui/static/parasol.css") B gz, parasol.js $(curl -s -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT/ui/static/parasol.js") B gz"
