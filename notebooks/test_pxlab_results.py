"""Tests of pxlab_results.py, the module the notebooks share.

Run from this folder: `/usr/bin/python3 -m unittest -v test_pxlab_results` (NotebooksTest runs
them in `./mvnw verify`). The latency test converts the sample's logs with HdrHistogram, so it
needs java and an HdrHistogram jar, found as pxlab_results finds them.
"""

import math
import os
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import pandas as pd

import pxlab_results as px


def rows(*records):
    """A results table from (kind, configuration, label, threads, metric, value, error) tuples."""
    table = pd.DataFrame(records, columns=["kind", "configuration", "label", "threads", "metric", "value", "error"])
    return table.assign(unit="requests/s")


class ScalingEfficiencyTest(unittest.TestCase):
    def test_against_the_fewest_threads_with_errors_combined(self):
        table = rows(("throughput", "gil", "json", 1, "throughput", 100.0, 10.0),
                     ("throughput", "gil", "json", 2, "throughput", 150.0, 30.0),
                     ("throughput", "gil", "json", 4, "throughput", 100.0, float("nan")),
                     ("throughput", "split-brain", "json", 2, "throughput", 80.0, 8.0),
                     ("throughput", "split-brain", "json", 4, "throughput", 160.0, 16.0))
        scaled = px.scaling_efficiency(table).set_index(["configuration", "threads"])

        self.assertAlmostEqual(scaled.loc[("gil", 1), "efficiency"], 1.0)
        self.assertEqual(scaled.loc[("gil", 1), "efficiency_error"], 0.0)
        self.assertAlmostEqual(scaled.loc[("gil", 2), "efficiency"], 0.75)
        # 0.75 * sqrt(0.1^2 + 0.2^2)
        self.assertAlmostEqual(scaled.loc[("gil", 2), "efficiency_error"], 0.75 * math.sqrt(0.05))
        self.assertAlmostEqual(scaled.loc[("gil", 4), "efficiency"], 0.25)
        self.assertTrue(math.isnan(scaled.loc[("gil", 4), "efficiency_error"]))
        # No 1-thread row: the base is the fewest threads measured, 2, and 4 threads doubling it is linear.
        self.assertEqual(scaled.loc[("split-brain", 4), "base_threads"], 2)
        self.assertAlmostEqual(scaled.loc[("split-brain", 4), "efficiency"], 1.0)


class RatiosTest(unittest.TestCase):
    def test_b_over_a_on_shared_rows_and_the_rest_listed(self):
        a = rows(("throughput", "gil", "json", 1, "throughput", 100.0, 10.0),
                 ("throughput", "gil", "json", 2, "throughput", 120.0, float("nan")),
                 ("throughput", "gil", "fortunes", 1, "throughput", 50.0, 5.0))
        b = rows(("throughput", "gil", "json", 1, "throughput", 200.0, 40.0),
                 ("throughput", "gil", "json", 2, "throughput", 60.0, 6.0),
                 ("throughput", "gil", "wiki-search (titles=2000)", 1, "throughput", 9.0, 1.0))

        shared, only = px.ratios(a, b)

        by_threads = shared.set_index("threads")
        self.assertEqual(sorted(by_threads.index), [1, 2])
        self.assertAlmostEqual(by_threads.loc[1, "ratio"], 2.0)
        self.assertAlmostEqual(by_threads.loc[1, "ratio_error"], 2.0 * math.sqrt(0.1 ** 2 + 0.2 ** 2))
        self.assertAlmostEqual(by_threads.loc[2, "ratio"], 0.5)
        self.assertTrue(math.isnan(by_threads.loc[2, "ratio_error"]))
        self.assertEqual(sorted(zip(only["label"], only["_merge"].astype(str))),
                         [("fortunes", "left_only"), ("wiki-search (titles=2000)", "right_only")])


class ResultsDirTest(unittest.TestCase):
    def test_a_folder_without_the_contract_files_is_refused_with_the_variable_named(self):
        with tempfile.TemporaryDirectory() as empty, mock.patch.dict(os.environ, {"PXLAB_RESULTS_X": empty}):
            with self.assertRaisesRegex(px.ResultsFolderError, r"\$PXLAB_RESULTS_X=.*has no environment\.json"):
                px.results_dir("PXLAB_RESULTS_X")
        with mock.patch.dict(os.environ, {"PXLAB_RESULTS_X": "/no/such/folder"}):
            with self.assertRaisesRegex(px.ResultsFolderError, r"/no/such/folder is not a folder"):
                px.results_dir("PXLAB_RESULTS_X")

    def test_labels_carry_non_default_parameters(self):
        self.assertEqual(px.workload_label("json", ""), "json")
        self.assertEqual(px.workload_label("wiki-search", "titles=2000"), "wiki-search (titles=2000)")


class LatencyLogTest(unittest.TestCase):
    """HdrHistogram's conversion of the sample's logs agrees with what `pxlab run` wrote in
    results.csv for the same measurements: the same count and the same median and p90 (both
    percentiles are rows of the processor's distribution), in the same unit."""

    def test_the_sample_spectra_agree_with_results_csv(self):
        folder = px.results_dir("PXLAB_RESULTS")
        table = px.results(folder)
        logs = px.latency_logs(folder)
        self.assertTrue(logs, f"{folder} has latency logs")
        for id_, path in logs.items():
            with self.subTest(id_):
                spectrum, intervals = px.process_log(path)
                reported = table[table["id"] == id_].set_index("metric")["value"]
                self.assertEqual(spectrum["count"].max(), reported["served"])
                self.assertEqual(intervals["Int_Count"].sum(), reported["served"])
                for metric, percentile in (("latency_p50", 0.5), ("latency_p90", 0.9)):
                    value = spectrum.loc[spectrum["percentile"] == percentile, "value"]
                    self.assertEqual(len(value), 1, f"{percentile} is a row of the distribution")
                    self.assertAlmostEqual(value.iloc[0], reported[metric], places=2)
                self.assertTrue((spectrum["percentile"] < 1.0).all())
                self.assertTrue(spectrum["value"].is_monotonic_increasing)


if __name__ == "__main__":
    unittest.main()
