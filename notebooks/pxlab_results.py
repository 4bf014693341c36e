"""Reading a pxlab results folder (the layout `./pxlab run` writes) into pandas.

The notebooks in this folder import this module, so each one reads the folder, checks it and
labels measurements the same way. The layout is the results-folder contract: environment.json,
suite.json, results.csv, footprint.csv, jmh/ID.json and latency/ID.hlog.

Latency logs are converted by HdrHistogram's own HistogramLogProcessor (run on a JVM), never
decoded here: the percentiles a notebook draws are the ones HdrHistogram computes.
"""

import glob
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

#: The folder the notebooks read when no environment variable names one: the checked-in sample.
SAMPLE = Path(__file__).resolve().parent / "sample-results"

#: results.csv's header, in the contract's order.
RESULTS_COLUMNS = ["id", "kind", "configuration", "workload", "params", "threads",
                   "metric", "value", "error", "unit"]

#: footprint.csv's header, in the contract's order.
FOOTPRINT_COLUMNS = ["id", "configuration", "workload", "threads", "space", "metric", "value", "unit"]

#: results.csv's latency percentile metrics, lowest percentile first.
LATENCY_METRICS = ["latency_p50", "latency_p90", "latency_p99", "latency_p999", "latency_max"]


class ResultsFolderError(Exception):
    """A results folder that is missing or does not follow the contract; says which file and why."""


def results_dir(variable="PXLAB_RESULTS", default=SAMPLE):
    """The results folder named by the environment variable, else `default`; checked to hold the
    two files every run writes first (environment.json) or last (results.csv)."""
    value = os.environ.get(variable)
    folder = Path(value).expanduser() if value else Path(default)
    source = f"${variable}={value}" if value else f"the default ({default})"
    if not folder.is_dir():
        raise ResultsFolderError(f"{source}: {folder} is not a folder; set {variable} to a folder "
                                 "written by `./pxlab run --out DIR`")
    for name in ("environment.json", "results.csv"):
        if not (folder / name).is_file():
            raise ResultsFolderError(f"{source}: {folder} has no {name}; a pxlab results folder "
                                     "holds environment.json and results.csv")
    return folder.resolve()


def environment(folder):
    """environment.json as a one-column table (field -> value), for a notebook's first output."""
    with open(folder / "environment.json", encoding="utf-8") as f:
        env = json.load(f)
    return pd.Series({k: " ".join(v) if isinstance(v, list) else v for k, v in env.items()},
                     name=folder.name).to_frame()


def _read_csv(path, columns):
    # Every column as text first: '' must stay '' (params, error) rather than turn into NaN
    # where the contract means "not applicable" for a key column.
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ResultsFolderError(f"{path}: header {list(table.columns)} lacks {missing}; "
                                 f"the contract's header is {','.join(columns)}")
    return table


def results(folder):
    """results.csv with value and error as numbers (error NaN where empty) and threads as int,
    plus a `label` column: the workload with its parameters when it has any. Stress rows are per
    configuration (no workload, no threads: the contract's empty cells); their threads read 0."""
    table = _read_csv(folder / "results.csv", RESULTS_COLUMNS)
    table["threads"] = table["threads"].replace("", "0").astype(int)
    table["value"] = pd.to_numeric(table["value"])
    table["error"] = pd.to_numeric(table["error"].replace("", float("nan")))
    table["label"] = [workload_label(w, p) for w, p in zip(table["workload"], table["params"])]
    return table


def footprint(folder):
    """footprint.csv with value as a number and threads as int; None when the run measured no
    footprint (the file is then absent)."""
    path = folder / "footprint.csv"
    if not path.is_file():
        return None
    table = _read_csv(path, FOOTPRINT_COLUMNS)
    table["threads"] = table["threads"].astype(int)
    table["value"] = pd.to_numeric(table["value"])
    return table


def params_of(folder):
    """id -> params (k=v;k=v) of every measurement in suite.json; footprint.csv has no params
    column, so a notebook joins through the id to tell apart two parameterisations."""
    path = folder / "suite.json"
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8") as f:
        suite = json.load(f)
    return {m["id"]: ";".join(f"{k}={v}" for k, v in sorted(m.get("params", {}).items()))
            for m in suite.get("measurements", [])}


def workload_label(workload, params):
    """`wiki-search (titles=2000)`, or the bare workload when it ran with default parameters."""
    return f"{workload} ({params})" if params else workload


def require(table, what, folder):
    """Stops the notebook with a clear message when the folder has no rows of what it draws."""
    if table is None or len(table) == 0:
        raise ResultsFolderError(f"{folder} has no {what}; run a suite that measures it "
                                 "(e.g. `./pxlab run quick --out DIR`) and point the notebook at DIR")
    return table


def java():
    """The java that runs HdrHistogram's log processor: $PXLAB_JAVA, $JAVA_HOME/bin/java, or
    `java` on PATH (HdrHistogram runs on any JDK 8+, so the one on PATH does)."""
    for candidate in (os.environ.get("PXLAB_JAVA"),
                      os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else None,
                      shutil.which("java")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise ResultsFolderError("no java found: set PXLAB_JAVA or JAVA_HOME, or put java on PATH")


def hdrhistogram_jar():
    """A jar holding org.HdrHistogram.HistogramLogProcessor: $PXLAB_HDRHISTOGRAM_JAR, pxlab's own
    experiments/target/pxlab.jar (which bundles HdrHistogram), or the one Maven put in ~/.m2."""
    named = os.environ.get("PXLAB_HDRHISTOGRAM_JAR")
    if named:
        if not os.path.isfile(named):
            raise ResultsFolderError(f"$PXLAB_HDRHISTOGRAM_JAR={named} is not a file")
        return named
    pxlab_jar = Path(__file__).resolve().parent.parent / "experiments" / "target" / "pxlab.jar"
    if pxlab_jar.is_file():
        return str(pxlab_jar)
    m2 = sorted(glob.glob(os.path.expanduser(
        "~/.m2/repository/org/hdrhistogram/HdrHistogram/*/HdrHistogram-*[0-9].jar")))
    if m2:
        return m2[-1]
    raise ResultsFolderError("HdrHistogram not found: build pxlab (./mvnw package) or set "
                             "PXLAB_HDRHISTOGRAM_JAR to an HdrHistogram jar")


def latency_logs(folder):
    """The interval logs of the folder's latency measurements, by id (latency/ID.hlog)."""
    return {p.stem: p for p in sorted((folder / "latency").glob("*.hlog"))}


def process_log(hlog, unit_ratio=1000.0):
    """Runs HdrHistogram's HistogramLogProcessor over one .hlog and returns (spectrum, intervals):

    spectrum: the overall percentile distribution (its .hgrm output): columns value, percentile,
    count, inverse (1/(1-percentile)); intervals: one row per logged interval with its count and
    percentiles. Values are divided by unit_ratio: the logs hold nanoseconds, so the default
    gives microseconds, the unit of results.csv's latency rows."""
    with tempfile.TemporaryDirectory(prefix="pxlab-hlog-") as tmp:
        base = os.path.join(tmp, "out")
        command = [java(), "-cp", hdrhistogram_jar(), "org.HdrHistogram.HistogramLogProcessor",
                   "-i", str(hlog), "-o", base, "-csv", "-outputValueUnitRatio", str(unit_ratio)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0 or not os.path.isfile(base + ".hgrm"):
            raise ResultsFolderError(f"HistogramLogProcessor failed on {hlog} (exit {done.returncode}):\n"
                                     f"{' '.join(command)}\n{done.stderr}")
        spectrum = pd.read_csv(base + ".hgrm", comment="#")
        intervals = pd.read_csv(base, comment="#")
    spectrum.columns = ["value", "percentile", "count", "inverse"]
    # The last line is the 100th percentile, whose 1/(1-p) is infinite: it cannot sit on a log
    # axis; the maximum is drawn from results.csv's latency_max instead.
    spectrum = spectrum[spectrum["percentile"] < 1.0].reset_index(drop=True)
    return spectrum, intervals


def error_bars(errors):
    """`errors` for matplotlib's yerr/xerr, or None when no row has one: matplotlib 3.6 fails on
    an all-NaN error array, and a run too short for JMH to compute an error leaves them all empty."""
    return errors if errors.notna().any() else None


def colours(names):
    """name -> colour, fixed over a notebook so one configuration has one colour in every panel
    (matplotlib's cycle would otherwise shift whenever a panel lacks a configuration)."""
    cycle = [c["color"] for c in plt.rcParams["axes.prop_cycle"]]
    return {name: cycle[i % len(cycle)] for i, name in enumerate(sorted(names))}


def threads_label(threads):
    """`1 thread`, `2 threads`."""
    return f"{threads} thread" if threads == 1 else f"{threads} threads"


def scaling_efficiency(throughput):
    """Adds base_threads, efficiency and efficiency_error to throughput rows (metric=throughput).

    Per workload label and configuration, efficiency at n threads is X(n)/X(n0) * n0/n, with n0
    the fewest threads measured: 1.0 is linear scaling. Its error combines the two rows'
    relative errors as if independent (NaN where either has none; 0 for the base row itself)."""
    def per_line(group):
        base = group.loc[group["threads"].idxmin()]
        eff = (group["value"] / base["value"]) * (base["threads"] / group["threads"])
        relative = ((group["error"] / group["value"]) ** 2 + (base["error"] / base["value"]) ** 2) ** 0.5
        relative[group["threads"] == base["threads"]] = 0.0
        return group.assign(base_threads=base["threads"], efficiency=eff, efficiency_error=eff * relative)
    return throughput.groupby(["label", "configuration"], group_keys=False).apply(per_line)


#: What makes two results.csv rows the same measurement in two folders (ids may differ in params hash only).
COMPARE_KEYS = ["kind", "configuration", "label", "threads", "metric", "unit"]


def ratios(rows_a, rows_b):
    """(shared, only): the rows of two results tables matched on COMPARE_KEYS, with value_a,
    value_b, ratio = B/A and ratio_error (the relative errors combined as if independent); and
    the rows only one table has, with `_merge` saying which ('left_only' = A)."""
    columns = COMPARE_KEYS + ["value", "error"]
    both = rows_a[columns].merge(rows_b[columns], on=COMPARE_KEYS, how="outer", suffixes=("_a", "_b"),
                                 indicator=True)
    only = both[both["_merge"] != "both"]
    shared = both[both["_merge"] == "both"].drop(columns="_merge")
    shared = shared.assign(ratio=shared["value_b"] / shared["value_a"])
    shared = shared.assign(ratio_error=shared["ratio"] * ((shared["error_a"] / shared["value_a"]) ** 2
                                                          + (shared["error_b"] / shared["value_b"]) ** 2) ** 0.5)
    return shared.reset_index(drop=True), only.reset_index(drop=True)
