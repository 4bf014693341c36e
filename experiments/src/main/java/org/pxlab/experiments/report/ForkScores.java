package org.pxlab.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The measured iterations of one throughput measurement, fork by fork, from JMH's own JSON
 * result ({@code jmh/ID.json}: {@code [ {"primaryMetric": {"score", "scoreError", "rawData": [[...], ...]}} ]}).
 * A fork is one JVM: its iterations share that JVM's JIT decisions and memory layout, so the
 * forks, not the iterations, are the independent observations.
 *
 * @param forks each fork's iteration scores (at least one fork, each with at least one iteration)
 */
record ForkScores(List<double[]> forks) {
    static ForkScores read(Path file) throws IOException {
        LocatedJson json = LocatedJson.read(file);
        JsonNode results = json.array("");
        if (results.isEmpty()) json.fail("", results, "an array with one JMH result");
        JsonNode raw = json.array("/0/primaryMetric/rawData");
        if (raw.isEmpty()) json.fail("/0/primaryMetric/rawData", raw, "at least one fork");
        List<double[]> forks = new ArrayList<>();
        for (int f = 0; f < raw.size(); f++) {
            String forkPath = "/0/primaryMetric/rawData/" + f;
            JsonNode iterations = json.array(forkPath);
            if (iterations.isEmpty()) json.fail(forkPath, iterations, "at least one iteration");
            double[] scores = new double[iterations.size()];
            for (int i = 0; i < scores.length; i++) scores[i] = json.number(forkPath + "/" + i);
            forks.add(scores);
        }
        return new ForkScores(List.copyOf(forks));
    }

    /** Each fork's mean score: the observations compare's test and the ratio's interval use. */
    double[] forkMeans() {
        return forks.stream().mapToDouble(f -> Arrays.stream(f).average().orElseThrow()).toArray();
    }

    /** Every iteration's score, forks one after the other. */
    double[] iterations() {
        return forks.stream().flatMapToDouble(Arrays::stream).toArray();
    }
}
