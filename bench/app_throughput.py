#!/usr/bin/env python3
"""Solver throughput of the bundled apps, per core, through the packaged server.

Usage: python3 bench/app_throughput.py [--port 18091] [--repeat 3]
Needs a packaged server: ./mvnw -B -ntp package -DskipTests

Starts the packaged server on a fresh data directory (H2, local backend), waits for the bundled
apps to be published, then runs each app on one core with a sizeable input, --repeat times, and
reads the solver's own timing from the run's summary.json:
  heat-transfer  cell updates per second  = steps x nx x ny / solverSeconds   (201 x 201 plate)
  cavity-flow    cell updates per second  = steps x (cells-1)^2 / solverSeconds (64 x 64, Re 100)
  truss-fea      degrees of freedom per second of the dense Cholesky solve  (Pratt bridge, 400 panels)
Prints the median of the repeats.
"""
import argparse, base64, json, os, shutil, statistics, subprocess, sys, tempfile, time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER_JAR = os.path.join(ROOT, "platform/server/target/quarkus-app/quarkus-run.jar")
AUTH = "Basic " + base64.b64encode(b"alice:alice").decode()

CASES = [
    ("heat-transfer", {"nx": 201, "ny": 201, "duration": 20, "writeCsv": False, "cores": 1}),
    ("cavity-flow", {"reynolds": 100, "cells": 64, "cores": 1}),
    ("truss-fea", {"panels": 400, "span": 400, "height": 8, "cores": 1}),
]


def call(base, path, method="GET", body=None, raw=False):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Authorization": AUTH, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        payload = r.read()
        return payload.decode() if raw else json.loads(payload or b"null")


def run(base, app, inputs):
    r = call(base, "/api/v1/runs", "POST", {"appId": app, "inputs": inputs})
    while r["state"] not in ("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT"):
        time.sleep(0.2)
        r = call(base, "/api/v1/runs/" + r["id"])
    if r["state"] != "SUCCEEDED":
        sys.exit("%s failed: %s" % (app, r.get("reason")))
    return json.loads(call(base, "/api/v1/runs/%s/outputs/summary.json" % r["id"], raw=True))


def throughput(app, s):
    if app == "heat-transfer":
        nx, ny = s["gridPoints"]
        return s["steps"] * nx * ny / s["solverSeconds"], "cell updates/s"
    if app == "cavity-flow":
        return s["cellUpdatesPerSecond"], "cell updates/s"
    return s["dofsPerSecond"], "DOFs/s (%d DOFs)" % s["dofs"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=18091)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    data_dir = tempfile.mkdtemp(prefix="parasol-bench-")
    env = dict(os.environ, PARASOL_DATA_DIR=data_dir, QUARKUS_HTTP_PORT=str(args.port))
    server = subprocess.Popen(["java", "-jar", SERVER_JAR], env=env,
                              stdout=open(os.path.join(data_dir, "server.log"), "w"), stderr=subprocess.STDOUT)
    base = "http://127.0.0.1:%d" % args.port
    try:
        for _ in range(900):
            try:
                if all(call(base, "/api/v1/apps/" + a)["id"] == a for a, _ in CASES):
                    break
            except Exception:
                pass
            time.sleep(0.1)
        print("| app | input | throughput per core (median of %d) |" % args.repeat)
        print("|-----|-------|------------------------------|")
        for app, inputs in CASES:
            values = []
            unit = ""
            for _ in range(args.repeat):
                value, unit = throughput(app, run(base, app, inputs))
                values.append(value)
            shown = {k: v for k, v in inputs.items() if k != "cores"}
            print("| %s | %s | %.3g %s |" % (app, json.dumps(shown), statistics.median(values), unit))
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
