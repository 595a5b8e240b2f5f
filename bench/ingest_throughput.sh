#!/usr/bin/env bash
# Sample ingestion: 2,000 simulated running runs x 20 metrics at 1 Hz against the packaged server
# on PostgreSQL, and the time from a run's cores going idle to the idle-cores finding.
# Usage: bench/ingest_throughput.sh [SECONDS] [RUNS] [METRICS] [BATCH]   (needs ./mvnw package and
# PostgreSQL at 127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_MEASURED="${1:-60}"
RUNS="${2:-2000}"
METRICS="${3:-20}"
# samples per call: the worker's report interval (2 s) over its sampling interval (1 s)
BATCH="${4:-2}"
IDLE=50
PORT=18391
DB=parasol_bench_ingest
DATA="$(mktemp -d)"
psql -h 127.0.0.1 -U postgres -qc "drop database if exists $DB with (force)" -c "create database $DB" postgres
# An API-only replica (nothing dispatched): the simulated runs are rows in RUNNING with tokens.
QUARKUS_HTTP_PORT=$PORT PARASOL_DATA_DIR="$DATA" \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD= \
  PARASOL_DEMO_USERS=true PARASOL_PUBLISH_EXAMPLES=true PARASOL_OIDC_ENABLED=false \
  PARASOL_PLACEMENT_DISPATCH=false PARASOL_MONITORING_SAMPLE_INTERVAL=1S QUARKUS_LOG_LEVEL=WARN \
  java ${PARASOL_BENCH_JVM_OPTS:-} -jar platform/server/target/quarkus-app-postgres/quarkus-run.jar > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do
  curl -sf -u alice:alice "http://127.0.0.1:$PORT/api/v1/apps/heat-transfer" >/dev/null && break
  sleep 1
done
psql -h 127.0.0.1 -U postgres -q -d $DB <<SQL
insert into run (id, org, created_by, app_id, app_version, plugin_id, jar_sha256, inputs, input_files,
                 cores, memory_mb, wall_time_seconds, backend, state, progress, token_hash,
                 token_expires_at, created_at, scheduled_at, started_at, updated_at)
select gen_random_uuid(), 'acme', 'alice', p.app_id, p.app_version, p.id, p.jar_sha256, '{}', '{}',
       4, 4096, 86400, 'LOCAL', 'RUNNING', 0,
       encode(sha256(convert_to('bench-token-' || g, 'UTF8')), 'hex'),
       now() + interval '1 day', now(), now(), now(), now()
from generate_series(1, $RUNS) g,
     (select id, app_id, app_version, jar_sha256 from plugin where app_id = 'heat-transfer' limit 1) p;
SQL
psql -h 127.0.0.1 -U postgres -qAt -F ' ' -d $DB -c \
  "select r.id, 'bench-token-' || g from generate_series(1, $RUNS) g join run r on r.token_hash = encode(sha256(convert_to('bench-token-' || g, 'UTF8')), 'hex')" > "$DATA/bench-runs.txt"
echo "Sample ingestion ($RUNS runs x $METRICS metrics at 1 Hz, PostgreSQL, API-only replica):"
java -Xmx1g bench/IngestLoad.java "http://127.0.0.1:$PORT" "$DATA/bench-runs.txt" "$METRICS" 64 30 "$SECONDS_MEASURED" $IDLE "$DATA/bench-switch.txt" "$BATCH"
sleep 3
stored=$(psql -h 127.0.0.1 -U postgres -qAt -d $DB -c "select count(*), sum(length(vals) / 8) from run_frame")
echo "frames, samples stored: $stored"
# Finding latency: from each idle run's first idle sample to its idle-cores finding.
psql -h 127.0.0.1 -U postgres -q -d $DB -c "create table bench_switch (run_id uuid, at timestamptz)"
psql -h 127.0.0.1 -U postgres -q -d $DB -c "\\copy bench_switch from '$DATA/bench-switch.txt' with (delimiter ' ')"
psql -h 127.0.0.1 -U postgres -qAt -d $DB -c "
  select 'finding latency (first idle sample to idle_cores raised), ' || count(*) || ' runs: p50 '
         || round((percentile_cont(0.5) within group (order by extract(epoch from f.first_seen - s.at)))::numeric, 2)
         || ' s, p99 '
         || round((percentile_cont(0.99) within group (order by extract(epoch from f.first_seen - s.at)))::numeric, 2)
         || ' s, max ' || round(max(extract(epoch from f.first_seen - s.at))::numeric, 2) || ' s'
  from bench_switch s join run_finding f on f.run_id = s.run_id and f.rule = 'idle_cores'"
