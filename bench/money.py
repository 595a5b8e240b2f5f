#!/usr/bin/env python3
"""Money benchmarks on PostgreSQL: usage-record ingestion rate (10% duplicates, totals checked
exactly) and the latency from a run's end to its settled charge.

Usage:
  ./mvnw -B -ntp package -DskipTests -pl platform/server -am -Dquarkus.profile=postgres \
      -Dquarkus.package.output-directory=bench-postgres
  python3 bench/money.py [--records 200000] [--batch 2000] [--clients 2] [--runs 50]
Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and psql; creates database parasol_bench.
"""
import argparse, base64, concurrent.futures, decimal, json, os, random, shutil, statistics, subprocess, sys, tempfile, time
import urllib.request
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "platform/server/target/bench-postgres/quarkus-run.jar")


def auth(user):
    return "Basic " + base64.b64encode(("%s:%s" % (user, user)).encode()).decode()


def call(url, user, method="GET", body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Authorization": auth(user), "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")


def ts(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def pct(values, p):
    v = sorted(values)
    return v[max(0, min(len(v) - 1, int(round(p / 100 * len(v) + 0.5)) - 1))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=200000)
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=2)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--port", type=int, default=18095)
    a = ap.parse_args()
    subprocess.check_call(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", "drop database if exists parasol_bench"])
    subprocess.check_call(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", "create database parasol_bench"])
    data = tempfile.mkdtemp(prefix="parasol-money-")
    env = dict(os.environ, PARASOL_DATA_DIR=data, QUARKUS_HTTP_PORT=str(a.port), QUARKUS_PROFILE="postgres",
               PARASOL_DB_URL="jdbc:postgresql://127.0.0.1:5432/parasol_bench", PARASOL_DB_USER="postgres",
               PARASOL_OIDC_ENABLED="false", PARASOL_DEMO_USERS="true", PARASOL_DEMO_MONEY="true", PARASOL_PUBLISH_EXAMPLES="true")
    server = subprocess.Popen(["java", "-Dquarkus.profile=postgres", "-jar", JAR], env=env,
                              stdout=open(os.path.join(data, "server.log"), "w"), stderr=subprocess.STDOUT)
    base = "http://127.0.0.1:%d" % a.port
    try:
        for _ in range(600):
            try:
                if call(base + "/api/v1/apps?q=heat", "alice")["total"] == 1:
                    break
            except Exception:
                pass
            time.sleep(0.2)
        # ---- ingestion
        org = "bench"
        unique = int(a.records * 0.9)
        keys = ["u-%d" % i for i in range(unique)]
        stream = keys + random.Random(1).sample(keys, a.records - unique)
        random.Random(2).shuffle(stream)
        amount = {k: (i % 97) + 1 for i, k in enumerate(keys)}
        batches = [stream[i:i + a.batch] for i in range(0, len(stream), a.batch)]

        def send(batch):
            records = [{"idempotencyKey": k, "org": org, "partition": "local", "coreSeconds": amount[k],
                        "cardSeconds": 0, "consumedAt": "2026-11-01T00:00:00Z"} for k in batch]
            return call(base + "/api/v1/usage", "admin", "POST", {"records": records})

        t0 = time.time()
        with concurrent.futures.ThreadPoolExecutor(a.clients) as pool:
            results = list(pool.map(send, batches))
        elapsed = time.time() - t0
        recorded = sum(r["recorded"] for r in results)
        totals = call(base + "/api/v1/usage/%s?period=2026-11" % org, "admin")
        exact = decimal.Decimal(sum(amount.values()))
        print("ingestion: %d records (%d unique) in %d batches of %d, %d clients: %.2f s, %.0f records/s"
              % (a.records, unique, len(batches), a.batch, a.clients, elapsed, a.records / elapsed))
        print("  recorded %d, stored %d records, core-seconds %s (expected %d, %s)"
              % (recorded, totals["records"], totals["coreSeconds"], exact,
                 "exact" if decimal.Decimal(str(totals["coreSeconds"])) == exact and totals["records"] == unique else "MISMATCH"))
        # ---- settlement latency
        latencies = []
        for i in range(a.runs + 3):
            run = call(base + "/api/v1/runs", "alice", "POST", {"appId": "heat-transfer", "inputs": {"nx": 5, "ny": 5, "duration": 1, "writeCsv": False}})
            while True:
                run = call(base + "/api/v1/runs/" + run["id"], "alice")
                if run.get("settledAt"):
                    break
                time.sleep(0.05)
            if i >= 3:
                latencies.append(ts(run["settledAt"]) - ts(run["finishedAt"]))
        print("settlement: run end -> settled charge over %d runs: p50 %.0f ms, p99 %.0f ms, max %.0f ms"
              % (len(latencies), statistics.median(latencies) * 1000, pct(latencies, 99) * 1000, max(latencies) * 1000))
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
