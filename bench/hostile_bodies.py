#!/usr/bin/env python3
"""Hostile bodies: many clients stream endless chunked bodies at the worker and launch endpoints.

Each client (one asyncio task; all in one process) opens a connection, sends a POST with `Transfer-Encoding: chunked` and no
Content-Length, and streams 64 KiB chunks until the server answers or closes (at most --body-mb
MiB), then starts again, for --seconds. Half the clients target a worker's event report without a
valid run token, half the launch endpoint as a signed-in engineer. Meanwhile a prober in its own
process reads `GET /q/health/ready` and a signed-in `GET /api/v1/apps` ten times a second each,
and a sampler reads the server's resident memory from /proc.

Reported: requests, answers by status, how long after a client passed the 1 MiB limit its answer
came (p50/p99/max), bytes sent per request, the probes' p50/p99/max, the server's RSS before, at its
highest and after. Status 0 counts connections closed before the client read an answer. Exit 1
when a request got a 5xx, none got an answer, or a probe failed.

Usage: bench/hostile_bodies.py --url http://127.0.0.1:8080 --pid PID [--clients 100] [--seconds 60]
       bench/hostile_bodies.py --smoke --url ...   (2 clients, 3 s, small bodies: the build's check)
"""
import argparse
import asyncio
import base64
import json
import multiprocessing
import os
import socket
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid

LIMIT = 1024 * 1024
# The body is valid JSON as far as it goes, as a real attack's would be: an array of log events for
# the worker's report, a launch whose inputs hold such an array; it never ends.
ELEMENT = b'{"type":"LOG","level":"INFO","message":"' + b"x" * 960 + b'"},'
PAYLOAD = ELEMENT * 64
CHUNK = len(PAYLOAD)
CHUNK_BYTES = b"%x\r\n" % CHUNK + PAYLOAD + b"\r\n"
PREFIX = {"worker": b"[", "launch": b'{"appId":"heat-transfer","inputs":{"list":['}


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = {}
        self.refusal_ms = []
        self.sent = []
        self.errors = []

    def add(self, status, refusal_ms, sent):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if refusal_ms is not None:
                self.refusal_ms.append(refusal_ms)
            self.sent.append(sent)


async def hostile_request(host, port, path, headers, body_bytes, stats, prefix):
    reader, writer = await asyncio.open_connection(host, port)
    try:
        head = f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nTransfer-Encoding: chunked\r\n"
        head += "Content-Type: application/json\r\n"
        for k, v in headers.items():
            head += f"{k}: {v}\r\n"
        writer.write((head + "\r\n").encode() + b"%x\r\n" % len(prefix) + prefix + b"\r\n")
        answer = asyncio.ensure_future(reader.readuntil(b"\r\n\r\n"))
        sent = 0
        passed_at = None
        while sent < body_bytes and not answer.done():
            writer.write(CHUNK_BYTES)
            try:
                await writer.drain()
            except (ConnectionError, OSError):
                break
            sent += CHUNK
            if passed_at is None and sent > LIMIT:
                passed_at = time.monotonic()
        try:
            data = await asyncio.wait_for(answer, 30)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, OSError,
                asyncio.TimeoutError):
            data = b""
        got_at = time.monotonic()
        status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0
        refusal = None
        if passed_at is not None:
            refusal = max(0.0, (got_at - passed_at) * 1000)
        elif status:
            refusal = 0.0  # answered before the client passed the limit
        stats.add(status, refusal, sent)
    finally:
        writer.close()


async def client(i, args, stats, stop):
    u = urllib.parse.urlparse(args.url)
    auth = "Basic " + base64.b64encode(b"alice:alice").decode()
    while not stop.is_set():
        if i % 2 == 0:
            path = f"/api/v1/worker/runs/{uuid.uuid4()}/events"
            headers = {"Authorization": "Bearer not-a-token"}
        else:
            path = "/api/v1/runs"
            headers = {"Authorization": auth}
        try:
            await hostile_request(u.hostname, u.port, path, headers,
                                  args.body_mb * 1024 * 1024, stats,
                                  PREFIX["worker" if i % 2 == 0 else "launch"])
        except (OSError, asyncio.IncompleteReadError) as e:
            with stats.lock:
                stats.errors.append(str(e))


async def clients(args, stats, stop):
    await asyncio.gather(*(client(i, args, stats, stop) for i in range(args.clients)))


def prober(url, seconds, out):
    """Runs in its own process, so that the load's interpreter does not delay its requests."""
    results = {"health": [], "apps": []}
    auth = "Basic " + base64.b64encode(b"alice:alice").decode()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for name, path, headers in (
            ("health", "/q/health/ready", {}),
            ("apps", "/api/v1/apps", {"Authorization": auth}),
        ):
            t0 = time.monotonic()
            try:
                req = urllib.request.Request(url + path, headers=headers)
                with urllib.request.urlopen(req, timeout=10) as r:
                    r.read()
                    ok = r.status == 200
            except Exception:
                ok = False
            results[name].append(((time.monotonic() - t0) * 1000, ok))
        time.sleep(0.1)
    out.put(results)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--pid", type=int)
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--body-mb", type=int, default=100)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--json", help="write the results here as JSON")
    args = ap.parse_args()
    if args.smoke:
        args.clients, args.seconds, args.body_mb = 2, 3, 4

    stats = Stats()
    probes = {"health": [], "apps": []}
    rss = []
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            if args.pid:
                v = rss_mb(args.pid)
                if v:
                    rss.append(v)
            time.sleep(0.5)

    before = rss_mb(args.pid) if args.pid else None
    probe_out = multiprocessing.Queue()
    probe = multiprocessing.Process(target=prober, args=(args.url, args.seconds, probe_out))
    threads = [threading.Thread(target=sample, daemon=True),
               threading.Thread(target=lambda: asyncio.run(clients(args, stats, stop)),
                                daemon=True)]
    probe.start()
    for t in threads:
        t.start()
    time.sleep(args.seconds)
    stop.set()
    probes.update(probe_out.get(timeout=60))
    probe.join(timeout=30)
    threads[1].join(timeout=60)
    time.sleep(2)
    after = rss_mb(args.pid) if args.pid else None

    def lat(name):
        values = [ms for ms, ok in probes[name]]
        return {"n": len(values), "failed": sum(1 for _, ok in probes[name] if not ok),
                "p50_ms": round(pct(values, 50), 1), "p99_ms": round(pct(values, 99), 1),
                "max_ms": round(max(values), 1) if values else None}

    result = {
        "clients": args.clients, "seconds": args.seconds, "body_mb": args.body_mb,
        "requests": sum(stats.statuses.values()), "statuses": stats.statuses,
        "no_answer_errors": len(stats.errors),
        "refusal_after_limit_ms": {"p50": round(pct(stats.refusal_ms, 50), 1),
                                   "p99": round(pct(stats.refusal_ms, 99), 1),
                                   "max": round(max(stats.refusal_ms), 1) if stats.refusal_ms else None},
        "mb_sent_per_request_max": round(max(stats.sent) / 2**20, 1) if stats.sent else None,
        "probe_health": lat("health"), "probe_apps": lat("apps"),
        "rss_mb": {"before": before, "max": max(rss) if rss else None, "after": after},
    }
    print(json.dumps(result, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    # status 0: the connection closed before the client read an answer (the server closes a
    # refused connection after a lingering read of at most 8 MiB or 2 s): counted, not a failure
    bad = any(s >= 500 for s in stats.statuses) or not any(s for s in stats.statuses)
    bad = bad or result["probe_health"]["failed"] > 0 or result["probe_apps"]["failed"] > 0
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
