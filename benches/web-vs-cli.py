#!/usr/bin/env python3
"""Full-catalog classify: the web API against a fresh CLI process, side by side.

    python3 benches/web-vs-cli.py            # builds the release binary, 50 runs each
    RUNS=200 python3 benches/web-vs-cli.py

Starts `tppcalc serve --port 0` (the embedded catalog), sends a few warm-up requests, then
times RUNS requests `POST /api/classify {}` on one keep-alive connection (request sent to last
byte of the answer read), and RUNS fresh processes `tppcalc classify --format json` (start to
exit, stdout read through a pipe). Both classify the embedded catalog under the default rule
set. Prints the median, min and max of each, and checks that the two answers are the same
bytes. Nothing here is a test: the figures go into docs/performance.md.
"""
import http.client
import os
import statistics
import subprocess
import sys
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(root)
if os.environ.get("NO_BUILD") != "1":
    subprocess.run(["cargo", "build", "--release", "--quiet"], check=True)
binary = os.path.join(root, "target", "release", "tppcalc")
runs = int(os.environ.get("RUNS", "50"))


def summary(name, times):
    ms = [t * 1000 for t in times]
    return f"| {name} | {statistics.median(ms):.1f} ms | {min(ms):.1f} ms | {max(ms):.1f} ms | {len(ms)} |"


server = subprocess.Popen([binary, "serve", "--port", "0"], stdout=subprocess.PIPE, text=True)
try:
    line = server.stdout.readline()  # tppcalc serve: http://127.0.0.1:PORT/ (...)
    port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
    conn = http.client.HTTPConnection("127.0.0.1", port)

    def post():
        conn.request("POST", "/api/classify", body=b"{}", headers={"Content-Type": "application/json"})
        res = conn.getresponse()
        body = res.read()
        assert res.status == 200, (res.status, body[:200])
        return body

    for _ in range(5):
        web_body = post()
    web = []
    for _ in range(runs):
        t = time.perf_counter()
        post()
        web.append(time.perf_counter() - t)
    conn.close()
finally:
    server.terminate()
    server.wait()

cli = []
for _ in range(3):
    subprocess.run([binary, "classify", "--format", "json"], stdout=subprocess.PIPE, check=True)
for _ in range(runs):
    t = time.perf_counter()
    out = subprocess.run([binary, "classify", "--format", "json"], stdout=subprocess.PIPE, check=True).stdout
    cli.append(time.perf_counter() - t)

print("| full-catalog classify, default rule set | median | min | max | runs |")
print("|---|---:|---:|---:|---:|")
print(summary("web: `POST /api/classify {}` (warm server)", web))
print(summary("CLI: `tppcalc classify --format json` (fresh process)", cli))
print(f"same answer: {'yes' if out == web_body else 'NO'} ({len(out)} bytes)")
sys.exit(0 if out == web_body else 1)
