package org.pxlab.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderComparisonTest {
    @TempDir
    Path tmp;

    /** {@code forks} forks of {@code iterations} iterations drawn around {@code level} with a 2% spread. */
    private static double[][] forks(Random random, double level, int forks, int iterations) {
        double[][] scores = new double[forks][iterations];
        for (double[] fork : scores) {
            double jvm = level * (1 + 0.02 * random.nextGaussian());
            for (int i = 0; i < iterations; i++) fork[i] = jvm * (1 + 0.005 * random.nextGaussian());
        }
        return scores;
    }

    private static double meanOfForkMeans(double[][] forks) {
        return Arrays.stream(forks).mapToDouble(f -> Arrays.stream(f).average().orElseThrow()).average().orElseThrow();
    }

    @Test
    void verdictsAreRightForAClearlyFasterAClearlySlowerAndASameDistributionCase() throws IOException {
        Random random = new Random(42);
        double[][] fasterA = forks(random, 1000, 3, 5);
        double[][] fasterB = forks(random, 1500, 3, 5);
        double[][] slowerA = forks(random, 1000, 3, 5);
        double[][] slowerB = forks(random, 700, 3, 5);
        // The same distribution: B's forks are A's, shuffled between forks and offset by less than the noise.
        double[][] sameA = {{1000, 1012, 990}, {1021, 1003, 985}, {996, 1010, 1001}};
        double[][] sameB = {{1003, 989, 1015}, {992, 1018, 1000}, {1009, 995, 1006}};
        Path a = new ResultsFixture().throughput("split-brain", "json", "", 2, fasterA)
                .throughput("fine-grained", "json", "", 2, slowerA).throughput("gil", "json", "", 1, sameA)
                .throughput("gil", "fortunes", "", 1, sameA).write(tmp.resolve("a"));
        Path b = new ResultsFixture().throughput("split-brain", "json", "", 2, fasterB)
                .throughput("fine-grained", "json", "", 2, slowerB).throughput("gil", "json", "", 1, sameB)
                .throughput("gil", "pure-compute", "", 1, sameB).write(tmp.resolve("b"));

        String md = FolderComparison.of(a, b).markdown();
        String title = "Throughput, B against A";

        List<String> faster = MarkdownTables.row(md, title, "split-brain", "json", "2");
        assertThat(faster.get(5)).isEqualTo(String.format(Locale.ROOT, "%.3f", meanOfForkMeans(fasterB) / meanOfForkMeans(fasterA)));
        assertThat(faster.get(7)).isEqualTo("faster");
        assertThat(faster.get(9)).isEqualTo("forks");
        assertThat(Double.parseDouble(faster.get(8))).isLessThan(0.05);
        assertInterval(faster.get(6), true);

        List<String> slower = MarkdownTables.row(md, title, "fine-grained", "json", "2");
        assertThat(slower.get(5)).isEqualTo(String.format(Locale.ROOT, "%.3f", meanOfForkMeans(slowerB) / meanOfForkMeans(slowerA)));
        assertThat(slower.get(7)).isEqualTo("slower");
        assertInterval(slower.get(6), true);

        List<String> same = MarkdownTables.row(md, title, "gil", "json", "1");
        assertThat(same.get(7)).isEqualTo("no significant difference");
        assertThat(Double.parseDouble(same.get(8))).isGreaterThan(0.05);
        assertInterval(same.get(6), false);

        assertThat(md).contains("gil fortunes 1t (A only)", "gil pure-compute 1t (B only)");
    }

    /** The interval holds the ratio, and lies off 1 exactly when the verdict says there is a difference. */
    private static void assertInterval(String interval, boolean excludesOne) {
        String[] ends = interval.split("\u00a0to\u00a0");
        double low = Double.parseDouble(ends[0]);
        double high = Double.parseDouble(ends[1]);
        assertThat(low).isLessThan(high);
        assertThat(low > 1 || high < 1).as(interval).isEqualTo(excludesOne);
    }

    @Test
    void withOneForkTheTestFallsBackToIterationsAndSaysSo() throws IOException {
        Path a = new ResultsFixture().throughput("gil", "json", "", 1, new double[][] {{100, 101, 99, 100}}).write(tmp.resolve("a"));
        Path b = new ResultsFixture().throughput("gil", "json", "", 1, new double[][] {{150, 151, 149, 150}}).write(tmp.resolve("b"));
        List<String> row = MarkdownTables.row(FolderComparison.of(a, b).markdown(), "Throughput, B against A", "gil", "json", "1");
        assertThat(row.get(7)).isEqualTo("faster");
        assertThat(row.get(9)).isEqualTo("iterations (fewer than 2 forks)");
    }

    @Test
    void writesBothFilesAndNeverOverwrites() throws IOException {
        ResultsFixture f = ResultsFixture.typical();
        Path a = f.write(tmp.resolve("a"));
        Path b = f.write(tmp.resolve("b"));
        Path out = tmp.resolve("cmp");
        FolderComparison comparison = FolderComparison.of(a, b);
        comparison.writeTo(out);
        assertThat(Files.readString(out.resolve("compare.md"))).isEqualTo(comparison.markdown());
        assertThat(Files.readString(out.resolve("compare.html"))).startsWith("<!DOCTYPE html>").contains("B / A");

        Files.delete(out.resolve("compare.html"));
        Files.writeString(out.resolve("compare.md"), "mine");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> comparison.writeTo(out))
                .hasMessageContaining("--out").hasMessageContaining("never overwrites");
        assertThat(out.resolve("compare.html")).doesNotExist();
        assertThat(Files.readString(out.resolve("compare.md"))).isEqualTo("mine");

        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> comparison.writeTo(file))
                .hasMessage("--out: '" + file + "' is not allowed; expected a folder (this is a file)");
    }
}
