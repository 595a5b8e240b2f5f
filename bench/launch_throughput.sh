#!/usr/bin/env bash
# Launch API throughput on PostgreSQL (32 concurrent clients) beside sbatch submissions per second
# to the local Slurm, on the same machine.
# Usage: bench/launch_throughput.sh [SECONDS]   (needs ./mvnw package, PostgreSQL at 127.0.0.1:5432,
# and for the sbatch column a Slurm started by platform/slurm/slurm.sh start /tmp/parasol-slurm)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_MEASURED="${1:-30}"
RATES="${RATES:-1000}"
CLIENTS=32
PORT=18390
DB=parasol_bench
DATA="$(mktemp -d)"
psql -h 127.0.0.1 -U postgres -qc "drop database if exists $DB with (force)" -c "create database $DB" postgres
# an API-only replica: runs are accepted and queued, nothing is dispatched, so workers do not
# compete with the API for the two cores
QUARKUS_HTTP_PORT=$PORT PARASOL_DATA_DIR="$DATA" \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD= \
  PARASOL_DEMO_USERS=true PARASOL_DEMO_MONEY=true PARASOL_PUBLISH_EXAMPLES=true PARASOL_OIDC_ENABLED=false \
  PARASOL_BILLING_SEED_ACCOUNTS_ACME_FUNDS=100000000 PARASOL_PLACEMENT_DISPATCH=false \
  QUARKUS_LOG_LEVEL=WARN \
  java ${PARASOL_BENCH_JVM_OPTS:-} -jar platform/server/target/quarkus-app-postgres/quarkus-run.jar > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do
  curl -sf -u alice:alice "http://127.0.0.1:$PORT/api/v1/apps/heat-transfer" >/dev/null && break
  sleep 1
done
BODY='{"appId":"heat-transfer","inputs":{"nx":5,"ny":5,"duration":1,"writeCsv":false}}'
echo "Parasol launch API (PostgreSQL, API-only replica), wrk with $CLIENTS connections:"
export BODY BASIC_AUTH=alice:alice
# warm-up: on two cores the JIT compilers keep a core busy for well over a minute under this load
wrk -t 2 -c $CLIENTS -d "${WARMUP_SECONDS:-120}s" -s bench/wrk/launch.lua "http://127.0.0.1:$PORT/api/v1/runs" > /dev/null
# what autovacuum does in production (this machine's PostgreSQL runs without it): the planner's
# statistics and the visibility map for the tables the warm-up filled
psql -h 127.0.0.1 -U postgres -qc "vacuum analyze" $DB
echo "back to back (saturation):"
wrk -t 2 -c $CLIENTS -d "${SECONDS_MEASURED}s" --timeout 10s -s bench/wrk/launch.lua "http://127.0.0.1:$PORT/api/v1/runs" | tail -1
# 32 clients sending on a fixed schedule (open loop) at RATE launches/s together: the latency at
# that rate counted from each launch's slot (see bench/wrk/launch.lua). First, unmeasured, the same
# load for SETTLE_SECONDS: 32 connections of one wrk thread each, replacing 32 of two threads, make
# the JIT compiler take back and compile again the server's connection handling (some 400
# compilations in the first seconds, a core's worth for several seconds), which a server in steady
# use has behind it.
RATE=${RATES%% *} THREADS=$CLIENTS wrk -t $CLIENTS -c $CLIENTS -d "${SETTLE_SECONDS:-40}s" --timeout 10s -s bench/wrk/launch.lua "http://127.0.0.1:$PORT/api/v1/runs" > /dev/null
for rate in $RATES; do
  echo "on a schedule of $rate launches/s:"
  RATE=$rate THREADS=$CLIENTS wrk -t $CLIENTS -c $CLIENTS -d "${SECONDS_MEASURED}s" --timeout 10s -s bench/wrk/launch.lua "http://127.0.0.1:$PORT/api/v1/runs" | tail -2
done

# the sbatch column needs the Slurm of platform/slurm/slurm.sh running (its controller answering)
if [ -f /tmp/parasol-slurm/etc/slurm.conf ] && SLURM_CONF=/tmp/parasol-slurm/etc/slurm.conf scontrol ping 2>/dev/null | grep -q UP; then
  export SLURM_CONF=/tmp/parasol-slurm/etc/slurm.conf
  kill $SERVER 2>/dev/null || true
  echo "sbatch ($CLIENTS concurrent submitters, $SECONDS_MEASURED s):"
  end=$(( $(date +%s) + SECONDS_MEASURED ))
  count_dir="$(mktemp -d)"
  for c in $(seq 1 $CLIENTS); do
    ( n=0; while [ "$(date +%s)" -lt $end ]; do
        sbatch --parsable --partition=cpu --ntasks=1 --cpus-per-task=1 --hold --wrap true >/dev/null 2>&1 && n=$((n+1))
      done; echo $n > "$count_dir/$c" ) &
  done
  wait
  total=$(cat "$count_dir"/* | paste -sd+ | bc)
  echo "sbatch accepted $total in $SECONDS_MEASURED s ($(echo "scale=1; $total/$SECONDS_MEASURED" | bc)/s)"
  scancel --user="$(id -un)" --state=PENDING 2>/dev/null || true
  rm -rf "$count_dir"
fi
