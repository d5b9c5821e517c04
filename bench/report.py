#!/usr/bin/env python3
"""Turns the benchmark's raw outputs into the table of docs/PERFORMANCE.md.

  report.py paths BATCH_JSON > paths.txt     the batch's operations as plain GET paths
  report.py table RESULTS_DIR                the table, the ratios and the targets, as Markdown
"""
import json
import os
import re
import statistics
import sys
import urllib.parse


def paths(batch_file):
    for op in json.load(open(batch_file))["batch"]:
        collection = op.get("collection", op.get("resource"))
        document = op.get("document_id", op.get("document"))
        query = op.get("query", "")
        if collection == "count":
            path = "/count" + ("/" + document if document else "")
        elif document:
            path = "/%s/%s" % (collection, urllib.parse.quote(document))
        else:
            path = "/" + collection
        print(path + ("?" + query if query else ""))


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(file):
    """requests/s, p50 and p99 latency (ms) of one wrk run."""
    text = open(file).read()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    latency = {}
    for percent in ("50", "99"):
        value, unit = re.search(r"\s%s(?:\.000)?%%\s+([\d.]+)(us|ms|s)" % percent, text).groups()
        latency[percent] = float(value) * UNITS[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if errors:
        sys.exit("%s: %s responses were errors" % (file, errors.group(1)))
    return rate, latency["50"], latency["99"]


def pgbench(prefix):
    """transactions/s, p50 and p99 latency (ms) of one pgbench run, from its summary and log."""
    text = open(prefix + ".txt").read()
    rate = float(re.search(r"tps = ([\d.]+)", text).group(1))
    times = []
    directory = os.path.dirname(prefix)
    stem = os.path.basename(prefix) + "_log"
    for name in os.listdir(directory):
        if name.startswith(stem):
            for line in open(os.path.join(directory, name)):
                times.append(int(line.split()[2]) / 1000.0)
    times.sort()
    return rate, percentile(times, 50), percentile(times, 99)


def percentile(values, p):
    return values[min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1))))]


def table(results):
    operations = int(open(os.path.join(results, "operations")).read())
    rows = []
    measured = {}
    for clients in (1, 8):
        batch = wrk(os.path.join(results, "batch-c%d.txt" % clients))
        gets = wrk(os.path.join(results, "gets-c%d.txt" % clients))
        floor = pgbench(os.path.join(results, "floor-c%d" % clients))
        given = pgbench(os.path.join(results, "given-c%d" % clients))
        unchanged = wrk(os.path.join(results, "batch304-c%d.txt" % clients))
        measured[clients] = (batch, gets, floor, unchanged)
        rows.append("| %d | POST /batch (1 request = 1 dashboard) | %.1f | %.2f | %.2f |" % ((clients,) + batch))
        rows.append("| %d | POST /batch with its current ETag in If-None-Match (304) | %.1f | %.2f | %.2f |"
                    % ((clients,) + unchanged))
        rows.append("| %d | separate GETs (%d requests = 1 dashboard) | %.1f | %.2f | %.2f |"
                    % (clients, operations, gets[0] / operations, gets[1] * operations, gets[2] * operations))
        rows.append("| %d | floor: pgbench, the service's SQL (1 transaction = 1 dashboard) | %.1f | %.2f | %.2f |"
                    % ((clients,) + floor))
        rows.append("| %d | reference: pgbench, dashboard.sql as given (no totals, no by-id) | %.1f | %.2f | %.2f |"
                    % ((clients,) + given))
    out = ["| clients | how | dashboards/s | p50 latency (ms) | p99 latency (ms) |", "|---|---|---|---|---|"] + rows
    batch1, gets1, floor1, unchanged1 = measured[1]
    batch8, gets8, floor8, unchanged8 = measured[8]
    checks = [
        ("batch latency at 1 client / floor latency (p50)", batch1[1] / floor1[1], "<= 1.3", batch1[1] / floor1[1] <= 1.3),
        ("batch throughput at 8 clients / floor throughput", batch8[0] / floor8[0], ">= 0.7", batch8[0] / floor8[0] >= 0.7),
        ("batch throughput / separate GETs' throughput, 1 client", batch1[0] / (gets1[0] / operations), ">= 4",
         batch1[0] / (gets1[0] / operations) >= 4),
        ("batch throughput / separate GETs' throughput, 8 clients", batch8[0] / (gets8[0] / operations), ">= 4",
         batch8[0] / (gets8[0] / operations) >= 4),
        ("304 throughput / full answer's throughput, 8 clients", unchanged8[0] / batch8[0], ">= 10",
         unchanged8[0] / batch8[0] >= 10),
    ]
    out += ["", "| ratio | measured | target | met |", "|---|---|---|---|"]
    out += ["| %s | %.2f | %s | %s |" % (name, value, target, "yes" if ok else "no") for name, value, target, ok in checks]
    out += ["", "The most a batch could gain over separate GETs is the floor's throughput over theirs (a batch",
            "that cost nothing but its SQL): %.2f at 1 client, %.2f at 8 clients."
            % (floor1[0] / (gets1[0] / operations), floor8[0] / (gets8[0] / operations))]
    print("\n".join(out))


if __name__ == "__main__":
    {"paths": paths, "table": table}[sys.argv[1]](sys.argv[2])
