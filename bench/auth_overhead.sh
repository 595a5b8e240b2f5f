#!/usr/bin/env bash
# Throughput and latency of GET /api/v1/apps with Keycloak bearer tokens vs anonymous access
# (parasol.catalog.public-read=true), on the packaged server. Needs wrk (Debian package "wrk").
#
#   ./mvnw -B -ntp verify          # builds the server and unpacks Keycloak under platform/server/target
#   bash bench/auth_overhead.sh [seconds per round] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
rounds=${2:-3}
kc_home=$(ls -d platform/server/target/keycloak/keycloak-* | head -1)
port=18090
data=$(mktemp -d)

platform/keycloak/keycloak.sh start "$kc_home"
PARASOL_DATA_DIR=$data QUARKUS_HTTP_PORT=$port PARASOL_OIDC_ENABLED=true \
  PARASOL_IDENTITY_DEMO_USERS_ENABLED=false PARASOL_CATALOG_PUBLIC_READ=true \
  java -jar platform/server/target/quarkus-app/quarkus-run.jar >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server; platform/keycloak/keycloak.sh stop "$kc_home"; rm -rf "$data"' EXIT
for _ in $(seq 1 60); do curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready" && break; sleep 1; done
until curl -s "http://127.0.0.1:$port/api/v1/apps" | grep -q heat-transfer; do sleep 0.5; done

token() {
  curl -s -d grant_type=password -d client_id=parasol-cli -d username=alice -d password=alice \
    http://127.0.0.1:8180/realms/parasol/protocol/openid-connect/token | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
url="http://127.0.0.1:$port/api/v1/apps"
# warm up both paths
wrk -t2 -c16 -d10s "$url" >/dev/null
wrk -t2 -c16 -d10s -H "Authorization: Bearer $(token)" "$url" >/dev/null
for r in $(seq 1 "$rounds"); do
  echo "== round $r: anonymous"
  wrk -t2 -c16 -d"${secs}s" --latency "$url" | grep -E "Requests/sec|99%|50%|Non-2xx"
  echo "== round $r: bearer token"
  wrk -t2 -c16 -d"${secs}s" --latency -H "Authorization: Bearer $(token)" "$url" | grep -E "Requests/sec|99%|50%|Non-2xx"
done
