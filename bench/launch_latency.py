#!/usr/bin/env python3
"""Launch latency of a trivial run: Parasol (packaged server, local backend) vs the bare worker.

Usage: python3 bench/launch_latency.py [--runs 100] [--port 18080]
Needs a packaged server: ./mvnw -B -ntp package -DskipTests

1. Starts the packaged server on a fresh data directory and waits for the bundled heat-transfer
   app to be published.
2. Parasol: launches N trivial heat-transfer runs (5x5 grid, 1 s simulated, no CSV) one after the
   other as alice. Launch time is taken on the client just before the POST; solver start and end
   are the server's startedAt (STARTED event received) and finishedAt (SUCCEEDED received).
3. Bare worker: starts the same worker jar with the same JVM flags by hand, N times, on a copy of
   the run spec pointing at a stub HTTP server that accepts every callback; solver start and end
   are the arrival times of the STARTED and SUCCEEDED events at the stub.
Prints p50/p99 of both, and the overhead ratio.
"""
import argparse, base64, json, os, shutil, statistics, subprocess, sys, tempfile, threading, time
import urllib.request
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER_JAR = os.path.join(ROOT, "platform/server/target/quarkus-app/quarkus-run.jar")
AUTH = "Basic " + base64.b64encode(b"alice:alice").decode()
POLL = 0.1
BREAKDOWN = []
WARMUP = 5
# about a second of solving: the sandbox's cost on compute, not on start
HEAVY = {"nx": 101, "ny": 101, "duration": 20, "writeCsv": False}
INPUTS = {"nx": 5, "ny": 5, "duration": 1, "writeCsv": False}


def call(url, method="GET", body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Authorization": AUTH, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")


def ts(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def pct(values, p):
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100 * len(v) + 0.5)) - 1))
    return v[k]


def parasol(base, n):
    starts, ends, ids = [], [], []
    for i in range(n + WARMUP):
        t0 = time.time()
        run = call(base + "/api/v1/runs", "POST", {"appId": "heat-transfer", "inputs": INPUTS})
        while run["state"] not in ("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT"):
            time.sleep(POLL)
            run = call(base + "/api/v1/runs/" + run["id"])
        if run["state"] != "SUCCEEDED":
            sys.exit("run failed: %s" % run)
        if i >= WARMUP:  # the first ones warm the server up
            starts.append(ts(run["startedAt"]) - t0)
            ends.append(ts(run["finishedAt"]) - t0)
            ids.append(run["id"])
            BREAKDOWN.append((ts(run["createdAt"]) - t0, ts(run["scheduledAt"]) - ts(run["createdAt"]), ts(run["startedAt"]) - ts(run["scheduledAt"]), ts(run["finishedAt"]) - ts(run["startedAt"])))
    return starts, ends, ids


class Stub(BaseHTTPRequestHandler):
    events = {}

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"null")
        now = time.time()
        # events carry a type; the worker's samples (POST .../samples) are accepted and ignored
        if self.path.endswith("/events"):
            for e in body:
                Stub.events.setdefault(e["type"], now)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"cancel":false}')

    def do_PUT(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204)
        self.end_headers()


def archives(data_dir):
    """The workers' class-data archives the server trained (WorkerClassData), or None."""
    names = os.listdir(os.path.join(data_dir, "bin")) if os.path.isdir(os.path.join(data_dir, "bin")) else []
    sup = [f for f in names if f.endswith("-supervisor.jsa")]
    plug = [f for f in names if f.endswith("-plugin.jsa")]
    if not sup or not plug:
        return None
    return os.path.join(data_dir, "bin", sup[0]), os.path.join(data_dir, "bin", plug[0])


def class_data(data_dir):
    """The JVM options the server adds for its archives (none without them)."""
    found = archives(data_dir)
    if not found:
        return []
    return ["-XX:SharedArchiveFile=" + found[0], "-Xlog:cds=off,cds+dynamic=off",
            "-Dparasol.worker.plugin-class-data=" + found[1]]


def bare(data_dir, spec_run_id, n, console_cap, variants=(("", []),), inputs=None, cores=None):
    """Runs the worker by hand against a stub server, N times per variant (alternating).

    variants: (name, extra JVM options) pairs; returns {name: (solver starts, ends, solve times)}.
    """
    stub = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    spec = json.load(open(os.path.join(data_dir, "runs", spec_run_id, "spec.json")))
    spec["serverUrl"] = "http://127.0.0.1:%d" % stub.server_port
    if inputs is not None:
        spec["inputs"] = dict(spec["inputs"], **inputs)
    if cores is not None:
        spec["allocation"]["cores"] = cores
    worker = sorted(f for f in os.listdir(os.path.join(data_dir, "bin"))
                    if f.startswith("parasol-worker") and f.endswith(".jar"))[0]
    worker = os.path.join(data_dir, "bin", worker)
    java = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64"), "bin", "java")
    if not os.path.exists(java):
        java = shutil.which("java")
    results = {name: ([], [], []) for name, _ in variants}
    scratch = tempfile.mkdtemp(prefix="bare-")
    for i in range(n + WARMUP):
        for name, extra in variants:
            run_dir = os.path.join(scratch, "%s-%d" % (name or "run", i))
            work = os.path.join(run_dir, "work")
            os.makedirs(os.path.join(work, "tmp"))
            json.dump(spec, open(os.path.join(run_dir, "spec.json"), "w"))
            # the command the server's local backend gives a worker (SandboxedWorker), by hand
            cmd = ["/usr/bin/prlimit", "--fsize=1074790400", "--core=0", "--", java, "-Xmx128m",
                   "-Xms16m", "-XX:MaxMetaspaceSize=96m", "-XX:MaxDirectMemorySize=64m", "-XX:+ExitOnOutOfMemoryError",
                   "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                   "-XX:ActiveProcessorCount=%d" % max(1, min(2, spec["allocation"]["cores"])),
                   "-Djava.awt.headless=true", "-Djava.io.tmpdir=" + os.path.join(work, "tmp"),
                   "-Dparasol.worker.console-cap=%d" % console_cap,
                   "-Dparasol.worker.plugin-memory-mb=%d" % max(32, spec["allocation"]["memoryMb"])] + class_data(data_dir) + extra + [
                   "-jar", worker, "run", os.path.join(run_dir, "spec.json")]
            env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": work, "TMPDIR": os.path.join(work, "tmp")}
            Stub.events = {}
            t0 = time.time()
            with open(os.path.join(run_dir, "console.txt"), "w") as console:
                code = subprocess.call(cmd, cwd=work, env=env, stdout=console, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            if code != 0 or "SUCCEEDED" not in Stub.events:
                sys.exit("bare worker failed (%d): %s %s" % (code, Stub.events, open(os.path.join(run_dir, "console.txt")).read()[-2000:]))
            if i >= WARMUP:
                starts, ends, solves = results[name]
                starts.append(Stub.events["STARTED"] - t0)
                ends.append(Stub.events["SUCCEEDED"] - t0)
                solves.append(Stub.events["SUCCEEDED"] - Stub.events["STARTED"])
            shutil.rmtree(run_dir, ignore_errors=True)
    stub.shutdown()
    shutil.rmtree(scratch)
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--port", type=int, default=18080)
    ap.add_argument("--smoke", action="store_true", help="2 runs, 1 warm-up: the build's check that the script still works")
    ap.add_argument("--server-jar", default=SERVER_JAR)
    ap.add_argument("--class-data-wait", type=float, default=120,
                    help="seconds to wait for the server to train its workers' class-data archives (0 in --smoke)")
    ap.add_argument("--compare-runs", type=int, default=None, help="runs per variant of --compare-sandbox (default: --runs)")
    ap.add_argument("--heavy-duration", type=float, default=HEAVY["duration"],
                    help="simulated seconds of the --compare-sandbox run (longer: less JVM warm-up in the solve time)")
    ap.add_argument("--compare-cores", type=int, default=None,
                    help="cores allocated to the --compare-sandbox run (default: the launched run's); the sandbox holds a run to them")
    ap.add_argument("--compare-sandbox", action="store_true",
                    help="also: solver time of a heavier run in the sandbox against unconfined (bare worker)")
    args = ap.parse_args()
    global WARMUP
    if args.smoke:
        args.runs, WARMUP, args.class_data_wait = 2, 1, 0
    data_dir = tempfile.mkdtemp(prefix="parasol-bench-")
    env = dict(os.environ, PARASOL_DATA_DIR=data_dir, QUARKUS_HTTP_PORT=str(args.port))
    server = subprocess.Popen(["java", "-jar", args.server_jar], env=env, stdout=open(os.path.join(data_dir, "server.log"), "w"), stderr=subprocess.STDOUT)
    base = "http://127.0.0.1:%d" % args.port
    try:
        for _ in range(1200):
            try:
                if call(base + "/api/v1/apps?q=heat")["total"] == 1:
                    break
            except Exception:
                pass
            time.sleep(0.1)
        # the server trains its workers' class-data archives in the background at its first start
        deadline = time.time() + args.class_data_wait
        while time.time() < deadline and not archives(data_dir):
            time.sleep(0.5)
        print("class-data archives: %s" % ("yes" if archives(data_dir) else "none"))
        p_start, p_end, ids = parasol(base, args.runs)
        b_start, b_end, _ = bare(data_dir, ids[-1], args.runs, 4 * 1024 * 1024)[""]
        if args.compare_sandbox:
            HEAVY["duration"] = args.heavy_duration
            compared = bare(data_dir, ids[-1], args.compare_runs or args.runs, 4 * 1024 * 1024,
                            variants=(("sandboxed", []), ("unconfined", ["-Dparasol.worker.unconfined=true"])),
                            inputs=HEAVY, cores=args.compare_cores)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(data_dir, ignore_errors=True)

    def row(name, values):
        return "| %-34s | %7.0f | %7.0f | %7.0f |" % (name, statistics.median(values) * 1000, pct(values, 99) * 1000, statistics.mean(values) * 1000)

    cols = list(zip(*BREAKDOWN))
    print("Parasol p50 breakdown ms: launch->created %.0f, created->scheduled %.0f, scheduled->solver start %.0f, solver start->SUCCEEDED %.0f" % tuple(statistics.median(c) * 1000 for c in cols))
    print("runs per series: %d (after %d warm-up runs each)" % (args.runs, WARMUP))
    print("| series                             | p50 ms  | p99 ms  | mean ms |")
    print("|------------------------------------|---------|---------|---------|")
    print(row("bare worker: exec -> solver start", b_start))
    print(row("Parasol: launch -> solver start", p_start))
    print(row("bare worker: exec -> SUCCEEDED", b_end))
    print(row("Parasol: launch -> SUCCEEDED", p_end))
    print("overhead at p50: solver start %+.1f%%, SUCCEEDED %+.1f%%" % (
        (statistics.median(p_start) / statistics.median(b_start) - 1) * 100,
        (statistics.median(p_end) / statistics.median(b_end) - 1) * 100))
    if args.compare_sandbox:
        for name in ("sandboxed", "unconfined"):
            print(row("bare worker %s: solve (%s)" % (name, "x".join(str(HEAVY[k]) for k in ("nx", "ny"))), compared[name][2]))
            print(row("bare worker %s: exec -> start" % name, compared[name][0]))
        print("solver time sandboxed vs unconfined at p50: %+.1f%%" % (
            (statistics.median(compared["sandboxed"][2]) / statistics.median(compared["unconfined"][2]) - 1) * 100))
    print("overhead at p99: solver start %+.1f%%, SUCCEEDED %+.1f%%" % (
        (pct(p_start, 99) / pct(b_start, 99) - 1) * 100, (pct(p_end, 99) / pct(b_end, 99) - 1) * 100))


if __name__ == "__main__":
    main()
