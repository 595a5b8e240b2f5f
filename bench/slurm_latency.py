#!/usr/bin/env python3
"""Launch-to-running latency on a real Slurm: through Parasol versus sbatch directly.

Usage: python3 bench/slurm_latency.py [--runs 200] [--port 18090] [--slurm-base /tmp/parasol-slurm]
Needs a packaged server (./mvnw -B -ntp package -DskipTests) and a running single-node Slurm
(platform/slurm/slurm.sh start BASE, as root).

"Running" is the moment the job's batch script starts on the node, stamped by the script itself
(date +%s.%N), so both series are measured the same way; t0 is taken on the client just before the
request (POST /api/v1/runs, or exec of sbatch).

1. sbatch: N jobs, one after the other, each a batch script that stamps its start and exits, with the
   same options Parasol uses (partition cpu, 1 task, 1 CPU, --mem, --time, --no-requeue); the next
   job is submitted when the previous one has left squeue, as in the Parasol series, where each run
   is waited for to its end; then both series leave the cluster idle for GAP seconds (Slurm starts
   a job submitted right after another one's end about a second later, in either series).
2. Parasol: starts the packaged server on a fresh data directory, registers the Slurm cluster
   (slurmrestd, JWT minted from the cluster's key) with a partition mapped to "cpu", and launches N
   trivial heat-transfer runs pinned to it, one after the other, each waited for to the end. The
   stamp is the first line the batch script prints (read from the run's console); Parasol's own RUNNING transition (the backend
   seeing the job run) is reported too.
Prints p50/p99/mean of each, and Parasol's overhead in milliseconds.
"""
import argparse, base64, json, os, shutil, statistics, subprocess, sys, tempfile, time
import urllib.request
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER_JAR = os.path.join(ROOT, "platform/server/target/quarkus-app/quarkus-run.jar")
INPUTS = {"nx": 5, "ny": 5, "duration": 1, "writeCsv": False, "cores": 1, "partition": "bench-cpu"}
WARM_UP = 5
GAP = 1.0  # idle seconds between one job's end and the next launch, in both series


def call(base, path, user="alice", method="GET", body=None):
    auth = "Basic " + base64.b64encode(("%s:%s" % (user, user)).encode()).decode()
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Authorization": auth, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")


def ts(s):
    s = s.replace("Z", "+00:00")
    if "." in s:  # Python takes at most microseconds
        head, frac = s.split(".", 1)
        digits = frac.split("+")[0]
        s = head + "." + digits[:6] + "+" + frac.split("+")[1]
    return datetime.fromisoformat(s).timestamp()


def pct(values, p):
    v = sorted(values)
    return v[max(0, min(len(v) - 1, int(round(p / 100 * len(v) + 0.5)) - 1))]


def wait_for(path, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with open(path) as f:
                line = f.readline()
            if line.endswith("\n"):
                return line
        except FileNotFoundError:
            pass
        time.sleep(0.02)
    sys.exit("no output from " + path)


def direct(base_dir, n):
    env = dict(os.environ, SLURM_CONF=os.path.join(base_dir, "etc/slurm.conf"))
    work = tempfile.mkdtemp(prefix="sbatch-", dir=os.path.join(base_dir, "runs"))
    latencies = []
    for i in range(n + WARM_UP):
        out = os.path.join(work, "job-%d.out" % i)
        script = "#!/bin/bash\necho \"started $(date +%s.%N)\"\n"
        t0 = time.time()
        job_id = subprocess.run(["sbatch", "--parsable", "--partition=cpu", "--ntasks=1", "--cpus-per-task=1",
                        "--mem=416M", "--time=1", "--no-requeue", "--chdir=" + work, "--output=" + out],
                       input=script.encode(), env=env, check=True, capture_output=True)
        job = job_id.stdout.decode().strip().split(";")[0]
        started = float(wait_for(out).split()[1])
        if i >= WARM_UP:
            latencies.append(started - t0)
        # Like the Parasol series, the next job starts only when this one is gone from the node.
        while subprocess.run(["squeue", "-h", "-j", job, "-o", "%T"], env=env,
                             capture_output=True).stdout.strip():
            time.sleep(0.05)
        time.sleep(GAP)
    shutil.rmtree(work, ignore_errors=True)
    return latencies


def parasol(base, base_dir, n):
    to_script, to_running = [], []
    for i in range(n + WARM_UP):
        t0 = time.time()
        run = call(base, "/api/v1/runs", method="POST", body={"appId": "heat-transfer", "inputs": INPUTS})
        while run["state"] not in ("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT"):
            time.sleep(0.05)
            run = call(base, "/api/v1/runs/" + run["id"])
        if run["state"] != "SUCCEEDED":
            sys.exit("run failed: %s" % json.dumps(run)[:2000])
        line = console_line(base, run["id"])
        started = ts(line.split(" at ")[1].split()[0])
        running = [t["at"] for t in run["transitions"] if t["to"] == "RUNNING"][0]
        time.sleep(GAP)
        if i >= WARM_UP:
            to_script.append(started - t0)
            to_running.append(ts(running) - t0)
    return to_script, to_running


def console_line(base, run_id):
    """The batch script's first line, from the run's console (copied when the job ends)."""
    auth = "Basic " + base64.b64encode(b"alice:alice").decode()
    for _ in range(600):
        req = urllib.request.Request(base + "/api/v1/runs/%s/logs?source=console" % run_id,
                                     headers={"Authorization": auth})
        with urllib.request.urlopen(req) as r:
            text = r.read().decode()
        for line in text.splitlines():
            if line.startswith("parasol: job "):
                return line
        time.sleep(0.02)
    sys.exit("no console for run " + run_id)


def register(base, base_dir):
    def admin(path, body):
        call(base, path, user="admin", method="POST", body=body)
    admin("/api/v1/clusters", {"name": "bench", "region": "local", "site": "local", "backend": "SLURM",
                               "slurm": {"restUrl": "http://127.0.0.1:6820", "user": "root",
                                         "jwtKeyFile": os.path.join(base_dir, "etc/jwt_hs256.key"),
                                         "workDir": os.path.join(base_dir, "runs")}})
    admin("/api/v1/partitions", {"name": "bench-cpu", "cluster": "bench", "nodes": 1, "ownership": "OWNED",
                                 "nodeType": {"cores": 16, "memoryMb": 16000}, "slurm": {"partition": "cpu"}})
    admin("/api/v1/prices", {"partition": "bench-cpu", "resource": "CORE_HOUR", "unitPrice": "0.01"})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--port", type=int, default=18090)
    ap.add_argument("--slurm-base", default="/tmp/parasol-slurm")
    ap.add_argument("--series", choices=["both", "sbatch"], default="both")
    args = ap.parse_args()
    d_lat = direct(args.slurm_base, args.runs)
    if args.series == "sbatch":
        print("sbatch -> batch script starts: p50 %.0f ms, p99 %.0f ms, mean %.0f ms (%d runs)" % (
            statistics.median(d_lat) * 1000, pct(d_lat, 99) * 1000, statistics.mean(d_lat) * 1000, len(d_lat)))
        return

    data_dir = tempfile.mkdtemp(prefix="parasol-bench-")
    env = dict(os.environ, PARASOL_DATA_DIR=data_dir, QUARKUS_HTTP_PORT=str(args.port))
    server = subprocess.Popen(["java", "-jar", SERVER_JAR], env=env,
                              stdout=open(os.path.join(data_dir, "server.log"), "w"), stderr=subprocess.STDOUT)
    base = "http://127.0.0.1:%d" % args.port
    try:
        for _ in range(600):
            try:
                if call(base, "/api/v1/apps?q=heat")["total"] == 1:
                    break
            except Exception:
                pass
            time.sleep(0.1)
        register(base, args.slurm_base)
        p_script, p_running = parasol(base, args.slurm_base, args.runs)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(data_dir, ignore_errors=True)

    def row(name, values):
        return "| %-46s | %7.0f | %7.0f | %7.0f |" % (
            name, statistics.median(values) * 1000, pct(values, 99) * 1000, statistics.mean(values) * 1000)

    print("runs per series: %d (after %d warm-up runs each)" % (args.runs, WARM_UP))
    print("| series                                         | p50 ms  | p99 ms  | mean ms |")
    print("|------------------------------------------------|---------|---------|---------|")
    print(row("sbatch -> batch script starts", d_lat))
    print(row("Parasol POST /runs -> batch script starts", p_script))
    print(row("Parasol POST /runs -> run RUNNING (server)", p_running))
    print("Parasol adds %+.0f ms at p50 and %+.0f ms at p99 (goal: at most 250 ms)" % (
        (statistics.median(p_script) - statistics.median(d_lat)) * 1000, (pct(p_script, 99) - pct(d_lat, 99)) * 1000))


if __name__ == "__main__":
    main()
