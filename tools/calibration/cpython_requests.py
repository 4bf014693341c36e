#!/usr/bin/env python3
"""Times pxlab's seed workloads' request handlers in the CPython that runs this script.

pxlab's workloads are Python-shaped code written with Mutator operations; each workload's class
comment carries the Python it stands for. This script runs that same Python (copied below from
those comments) in a real interpreter and prints, per workload, the nanoseconds one request takes,
as CSV on stdout: workload,python,ns_per_request,requests.

It is the CPython side of the interpreter-work calibration (docs/calibration.md): pxlab's `gil`
configuration serving the same workload at 1 worker is timed with WorkloadBench, and the ratio
says whether pxlab's own per-operation cost is below CPython's (then interpreter work may be added)
or above it (then it may not: it can only add cost).

The figure is the best of REPEATS runs of N requests each (the least disturbed run), including
the loop's own cost (a for over range and one call: ~30 ns in CPython 3.11), as pxlab's figure
includes its harness's.
"""
import html
import platform
import sys
import time

REPEATS = 7


# --- json (JsonWorkload) ---------------------------------------------------------------
class Encoder:
    def __init__(self):
        self.sep = ", "
        self.colon = ": "

    def quote(self, s):
        return '"' + s + '"'

    def encode(self, obj):
        parts = []
        for key in obj:
            parts.append(self.quote(key) + self.colon + self.quote(obj[key]))
        return ("{" + self.sep.join(parts) + "}").encode()


encoder = Encoder()


def json_handler(request):
    return encoder.encode({"message": "Hello, World!"})


# --- hot-shared-object (HotSharedObjectWorkload) ----------------------------------------
class Settings:
    def __init__(self):
        self.rate = 1.25
        self.scale = 2.5
        self.label = "shared settings"


settings = Settings()


def combine(rate, scale, label):
    return rate + scale


def hot_handler(request):
    s = settings
    return combine(s.rate, s.scale, s.label)


# --- pure-compute (PureComputeWorkload, rounds = 20, its default) -----------------------
rounds = 20


def pure_handler(request):
    x = 0
    r = 0
    while r < rounds:
        i = 0
        while i < 100:
            x = x + i
            if x > 150:
                x = x - 151
            i = i + 1
        r = r + 1
    return x


# --- fortunes (FortunesWorkload) ---------------------------------------------------------
escape = html.escape
HEAD = "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>"
TAIL = "</table></body></html>"


class Fortune:
    __slots__ = ("id", "message")

    def __init__(self, id, message):
        self.id = id
        self.message = message


fortunes = [Fortune(i + 1, m) for i, m in enumerate([
    "fortune: No such file or directory",
    "A computer scientist is someone who fixes things that aren't broken.",
    "After enough decimal places, nobody gives a damn.",
    "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
    "A computer program does what you tell it to do, not what you want it to do.",
    "Emacs is a nice operating system, but I prefer UNIX. \u2014 Tom Christaensen",
    "Any program that runs right is obsolete.",
    "A list is only as strong as its weakest link. \u2014 Donald Knuth",
    "Feature: A bug with seniority.",
    "Computers make very fast, very accurate mistakes.",
    "<script>alert(\"This should not be displayed in a browser alert box.\");</script>",
    "\u30d5\u30ec\u30fc\u30e0\u30ef\u30fc\u30af\u306e\u30d9\u30f3\u30c1\u30de\u30fc\u30af",
])]


def message_of(fortune):
    return fortune.message


def fortunes_handler(request):
    fs = fortunes.copy()
    fs.append(Fortune(0, "Additional fortune added at request time."))
    fs.sort(key=message_of)
    parts = [HEAD]
    for f in fs:
        parts.append("<tr><td>" + str(f.id) + "</td><td>" + escape(f.message) + "</td></tr>")
    parts.append(TAIL)
    return "".join(parts).encode()


WORKLOADS = [
    ("json", json_handler, 200_000),
    ("hot-shared-object", hot_handler, 500_000),
    ("pure-compute", pure_handler, 5_000),
    ("fortunes", fortunes_handler, 50_000),
]


def best_ns_per_request(handler, n):
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter_ns()
        for i in range(n):
            handler(i)
        best = min(best, (time.perf_counter_ns() - start) / n)
    return best


def main():
    assert json_handler(0) == b'{"message": "Hello, World!"}'
    python = "%s %s" % (platform.python_implementation(), platform.python_version())
    print("workload,python,ns_per_request,requests")
    for name, handler, n in WORKLOADS:
        if len(sys.argv) > 1 and name not in sys.argv[1:]:
            continue
        print("%s,%s,%.1f,%d" % (name, python, best_ns_per_request(handler, n), n), flush=True)


if __name__ == "__main__":
    main()
