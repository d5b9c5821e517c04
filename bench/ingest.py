#!/usr/bin/env python3
"""Boots arriving while the dashboards are read: POST /boot at RATE reports a second, paced (a
late report is sent at once, never in a burst to catch up), over one keep-alive connection to
127.0.0.1, until stopped (SIGTERM). Then prints how many were sent and how many failed.

  ingest.py PORT TOKEN RATE
"""
import http.client
import json
import random
import signal
import sys
import time

port, token, rate = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
TREES = ["mainline", "next", "stable", "stable-rc", "arm-soc", "linusw", "broonie-regmap", "tegra", "omap", "renesas"]
ARCHES = ["arm", "arm64", "x86", "mips"]
RESULTS = ["PASS", "PASS", "PASS", "FAIL", "OFFLINE", "UNTRIED"]
stopped = False


def stop(*_):
    global stopped
    stopped = True


signal.signal(signal.SIGTERM, stop)
random.seed(17)
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
headers = {"Authorization": token, "Content-Type": "application/json"}
sent = failed = 0
start = time.monotonic()
while not stopped:
    report = {"version": "1.0", "lab_name": "lab-ingest", "job": random.choice(TREES),
              "kernel": "v6.%d-ingest" % random.randrange(8), "defconfig": "multi_v7_defconfig",
              "arch": random.choice(ARCHES), "board": "board-%d" % random.randrange(60),
              "boot_result": random.choice(RESULTS), "boot_time": 11.5, "boot_warnings": 0}
    try:
        connection.request("POST", "/boot", json.dumps(report), headers)
        response = connection.getresponse()
        response.read()
        failed += response.status >= 300
    except (OSError, http.client.HTTPException):
        failed += 1
        connection.close()
    sent += 1
    pause = start + sent / rate - time.monotonic()
    if pause > 0:
        time.sleep(pause)
elapsed = time.monotonic() - start
print("ingested %d boot reports in %.0f s (%.1f a second), %d failed" % (sent, elapsed, sent / elapsed, failed))
