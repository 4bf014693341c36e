package org.pxlab.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pxlab.experiments.suite.Kind;
import org.pxlab.experiments.suite.Measurement;
import org.pxlab.experiments.suite.Suite;
import org.pxlab.experiments.suite.SuiteParser;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;

/** A run with projections, killed and resumed: projection.csv ends with each projection's rows once, and none is run again. */
class ProjectionResumeTest {
    static final String SUITE = """
            suite: projected
            configurations: [gil, fine-grained, free-threaded]
            workloads: [json]
            threads: [1]
            projection: {cores: [1, 2, 8], requests: 50, measure: 100ms}
            """;

    @TempDir
    Path dir;

    /** Stands in for the counting runs: rows made from the measurement's id, and a count of the runs. */
    static final class FakeProjection implements MeasurementKind {
        final List<String> ran = new ArrayList<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Kind kind() {
            return Kind.PROJECTION;
        }

        @Override
        public double estimatedSeconds(Measurement m) {
            return 0;
        }

        @Override
        public Outcome run(Measurement m, MeasurementContext context) {
            ran.add(m.id());
            double level = 1000 + calls.incrementAndGet();
            List<ProjectionRow> rows = new ArrayList<>();
            for (int n : ProjectionKind.cores(m)) {
                rows.add(new ProjectionRow(n, level * n, n, "parallel work", n <= 2 ? level : Double.NaN, Double.NaN,
                        n <= 2 ? ProjectionRow.NATIVE : "", n <= 2 ? 100.0 * (n - 1) : Double.NaN));
            }
            return Outcome.ofProjection(rows);
        }
    }

    private static SuiteRunner runner(ComponentRegistry registry, MeasurementKind projection) {
        List<MeasurementKind> kinds = new ArrayList<>(SuiteRunner.kinds().stream().filter(k -> k.kind() != Kind.PROJECTION).toList());
        kinds.add(projection);
        return new SuiteRunner(registry, Workloads.load(), kinds);
    }

    @Test
    void theSuitesProjectionSectionIsOneMeasurementPerConfigurationAndWorkloadAfterTheOthers() {
        Suite suite = new SuiteParser(ComponentRegistry.load(), Workloads.load()).parse(SUITE + "footprint: {requests: 10}\n", "projected");
        List<Measurement> ms = suite.measurements();

        assertThat(ms).extracting(Measurement::id).containsExactly("footprint-gil-json-t1", "footprint-fine-grained-json-t1",
                "footprint-free-threaded-json-t1", "projection-gil-json", "projection-fine-grained-json", "projection-free-threaded-json");
        Measurement p = ms.get(3);
        assertThat(p.threads()).isZero();
        assertThat(p.settings()).containsEntry("cores", "1,2,8").containsEntry("requests", "50").containsEntry("measure", "100ms");
    }

    @Test
    void aResumedRunDoesNotRedoAFinishedProjectionAndDropsAKilledOnesRows() throws IOException {
        ComponentRegistry registry = ComponentRegistry.load();
        Suite suite = new SuiteParser(registry, Workloads.load()).parse(SUITE, "projected");
        Path out = dir.resolve("out");
        ResultsFolder folder = ResultsFolder.create(out, suite);
        Path table = out.resolve(ResultsFolder.PROJECTION_CSV);
        assertThat(Files.readString(table)).isEqualTo(ResultsFolder.PROJECTION_HEADER + "\n");
        FakeProjection first = new FakeProjection();
        List<Measurement> all = suite.measurements();
        runner(registry, first).run(folder, all.subList(0, 1), new PrintWriter(new StringWriter()), false);
        String finished = Files.readString(table);
        // Killed while recording the second: a complete row, a torn one, no progress line.
        String killed = all.get(1).id();
        Files.writeString(table, killed + ",fine-grained,json,,1,5,1,one core,,,,\n" + killed + ",fine-gr", StandardOpenOption.APPEND);

        ResultsFolder resumed = ResultsFolder.resume(out);
        assertThat(Files.readString(table)).isEqualTo(finished);
        List<Measurement> todo = SuiteRunner.pending(resumed, id -> true);
        FakeProjection second = new FakeProjection();
        runner(registry, second).run(resumed, todo, new PrintWriter(new StringWriter()), false);

        assertThat(second.ran).containsExactly(all.get(1).id(), all.get(2).id());
        assertThat(Files.readString(table)).startsWith(finished);
        List<ProjectionTable.Projected> read = ProjectionTable.read(table);
        assertThat(read).extracting(ProjectionTable.Projected::id).containsExactly(all.get(0).id(), all.get(1).id(), all.get(2).id());
        assertThat(read).allSatisfy(p -> assertThat(p.rows()).extracting(ProjectionRow::cores).containsExactly(1, 2, 8));
        assertThat(read.get(1).rows().getFirst().predicted()).isEqualTo(1001).as("not the killed run's 5");
        assertThat(SuiteRunner.pending(ResultsFolder.resume(out), id -> true)).isEmpty();
    }
}
