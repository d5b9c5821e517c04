#!/usr/bin/env python3
"""Turns the benchmark's raw outputs into the table of docs/PERFORMANCE.md.

  report.py mix TEMPLATE BOOT_IDS OUT N      N dashboard batches varied from TEMPLATE, as OUT/NNN.json
  report.py paths BATCH_JSON... > paths.txt  the batches' operations as plain GET paths
  report.py table RESULTS_DIR SIZE...        the tables, the ratios and the targets, as Markdown
"""
import json
import os
import re
import statistics
import sys
import urllib.parse


TREES = ["mainline", "next", "stable", "stable-rc", "arm-soc", "linusw", "broonie-regmap", "tegra", "omap", "renesas"]
LABS = ["lab-collabora", "lab-baylibre", "lab-mhart", "lab-khilman", "lab-tbaker", "lab-cambridge",
        "lab-linaro-lkft", "lab-pengutronix", "lab-broonie", "lab-jsmith"]
WINDOWS = [1, 2, 3, 5, 7, 14, 30]


def mix(template, boot_ids, out, n):
    """The template's dashboard for n (tree, other tree, lab, window) combinations: its boot
    counts' tree, its build counts' and list's tree, its lab and its 5-day window vary."""
    text = open(template).read()
    ids = open(boot_ids).read().split()
    os.makedirs(out, exist_ok=True)
    for i in range(int(n)):
        tree, other = TREES[i % len(TREES)], TREES[(i * 3 + 1) % len(TREES)]
        body = (text.replace('job=next&', 'job=\0boots&').replace('job=mainline&', 'job=\0builds&')
                .replace('job=\0boots&', 'job=%s&' % tree).replace('job=\0builds&', 'job=%s&' % other)
                .replace('lab-collabora', LABS[(i // len(TREES)) % len(LABS)])
                .replace('date_range=5', 'date_range=%d' % WINDOWS[i % len(WINDOWS)])
                .replace('BOOT_ID', ids[i % len(ids)]))
        with open(os.path.join(out, "%03d.json" % i), "w") as f:
            f.write(body)
        print(os.path.join(out, "%03d.json" % i))


def paths(*batch_files):
    for batch_file in batch_files:
        operations(batch_file)


def operations(batch_file):
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


def measure(results, clients):
    return (wrk(os.path.join(results, "batch-c%d.txt" % clients)), wrk(os.path.join(results, "gets-c%d.txt" % clients)),
            pgbench(os.path.join(results, "floor-c%d" % clients)), wrk(os.path.join(results, "batch304-c%d.txt" % clients)),
            pgbench(os.path.join(results, "service-sql-c%d" % clients)), wrk(os.path.join(results, "static-c%d.txt" % clients)))


def table(root, *sizes):
    operations = int(open(os.path.join(root, sizes[0], "operations")).read())
    out = []
    measured = {}
    for size in sizes:
        results = os.path.join(root, size)
        rows = []
        for clients in (1, 8):
            batch, gets, floor, unchanged, service_sql, static = measured[size, clients] = measure(results, clients)
            rows.append("| %d | POST /batch (1 request = 1 dashboard) | %.1f | %.2f | %.2f |" % ((clients,) + batch))
            rows.append("| %d | POST /batch with its current ETag in If-None-Match (304) | %.1f | %.2f | %.2f |"
                        % ((clients,) + unchanged))
            rows.append("| %d | a static page of the dashboard (GET, no database): the HTTP server alone | %.1f | %.2f | %.2f |"
                        % ((clients,) + static))
            rows.append("| %d | separate GETs (%d requests = 1 dashboard) | %.1f | %.2f | %.2f |"
                        % (clients, operations, gets[0] / operations, gets[1] * operations, gets[2] * operations))
            rows.append("| %d | floor: pgbench, the service's plain SQL (1 transaction = 1 dashboard) | %.1f | %.2f | %.2f |"
                        % ((clients,) + floor))
            rows.append("| %d | profile: pgbench, the SQL the service runs, rollups included (1 transaction = 1 dashboard) "
                        "| %.1f | %.2f | %.2f |" % ((clients,) + service_sql))
        ingested = open(os.path.join(results, "ingest.txt")).read().strip()
        out += ["%s boots; while measuring all but the 304s, %s." % ("{:,}".format(int(size)), ingested), "",
                "| clients | how | dashboards/s | p50 latency (ms) | p99 latency (ms) |", "|---|---|---|---|---|"] + rows + [""]
    bench, large = sizes[0], sizes[-1]
    batch1, gets1, floor1 = measured[bench, 1][:3]
    batch8, gets8, floor8, unchanged8 = measured[bench, 8][:4]
    checks = [
        ("batch throughput / floor throughput, 8 clients", batch8[0] / floor8[0], ">= 3"),
        ("batch throughput / separate GETs' throughput, 8 clients", batch8[0] / (gets8[0] / operations), ">= 4"),
        ("batch throughput / separate GETs' throughput, 1 client", batch1[0] / (gets1[0] / operations), ">= 4"),
        ("304 throughput / full answer's throughput, 8 clients", unchanged8[0] / batch8[0], ">= 10"),
        ("batch latency at 1 client / floor latency (p50)", batch1[1] / floor1[1], "<= 1.3"),
    ]
    if large != bench:
        checks.append(("batch latency at 1 client (p50), %s boots / %s boots" % ("{:,}".format(int(large)), "{:,}".format(int(bench))),
                       measured[large, 1][0][1] / batch1[1], "<= 1.5"))
    out += ["Ratios on the %s-boot set unless named:" % "{:,}".format(int(bench)), "",
            "| ratio | measured | target | met |", "|---|---|---|---|"]
    out += ["| %s | %.2f | %s | %s |" % (name, value, target, "yes" if met(value, target) else "no")
            for name, value, target in checks]
    static8 = measured[bench, 8][5]
    out += ["", "For comparison, the static page's throughput is %.2f × the full answer's at 8 clients "
            "(the 304s run at %.0f %% of the static page's)." % (static8[0] / batch8[0], 100 * unchanged8[0] / static8[0])]
    print("\n".join(out))


def met(value, target):
    bound = float(target.split()[1])
    return value >= bound if target.startswith(">=") else value <= bound


if __name__ == "__main__":
    {"mix": mix, "paths": paths, "table": table}[sys.argv[1]](*sys.argv[2:])
