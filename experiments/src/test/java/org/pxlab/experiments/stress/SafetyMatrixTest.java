package org.pxlab.experiments.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationException;

/** The matrix rendered from a summary, and the run's refusals, without running jcstress. */
class SafetyMatrixTest {
    /** A run: gil covered (clean), split-brain covered (unsafe), a control that fired, one that did not, a test left out. */
    static final String SUMMARY = String.join("\n",
            StressSummary.HEADER,
            "hazard\tlost-refcount-update\tlost refcount update",
            "hazard\tundetected-persistence\tundetected persistence",
            "claims\tgil\tunder the GIL",
            "excluded\tgil\tundetected-persistence\tone heap",
            "test\tp.PlainUnderGil\tlost-refcount-update\tgil\t`plain` + `gil`\ttest\tselected\t1000\t0\t4",
            "test\tp.Guard\tundetected-persistence\tsplit-brain\tguard\ttest\tselected\t500\t7\t4",
            "test\tp.PlainControl\tlost-refcount-update\t\t`plain`, no lock\tcontrol\tselected\t900\t12\t4",
            "test\tp.SilentControl\tundetected-persistence\t\tfaithful\tcontrol\tselected\t800\t0\t4",
            "test\tp.LeftOut\tlost-refcount-update\tsplit-brain\tx\ttest\tnot-selected\t0\t0\t0",
            "failure\tp.Guard: forbidden outcome [stored] observed 7 in 500 samples",
            "failure\tp.SilentControl: known-unsafe control did not fire",
            "verdict\tinvalid\t4\t4", "");

    private static StressSummary summary(Path dir) throws Exception {
        Path f = dir.resolve("summary.tsv");
        Files.writeString(f, SUMMARY, StandardCharsets.UTF_8);
        return StressSummary.read(f);
    }

    @Test
    void cellsSayWhatWasObservedWithTheirSamples(@TempDir Path dir) throws Exception {
        SafetyMatrix m = new SafetyMatrix(summary(dir), List.of("gil", "split-brain", "isolated"));
        List<SafetyMatrix.Row> rows = m.rows();
        assertThat(rows).contains(
                new SafetyMatrix.Row("gil", "lost-refcount-update", "PlainUnderGil", "not observed in 1,000 samples", 1000, "not-observed"),
                new SafetyMatrix.Row("gil", "undetected-persistence", "", "not applicable: one heap", -1, "not-applicable"),
                new SafetyMatrix.Row("split-brain", "undetected-persistence", "Guard", "UNSAFE: 7 in 500 samples", 500, "unsafe"),
                new SafetyMatrix.Row("split-brain", "lost-refcount-update", "LeftOut", "not run (not selected)", 0, "not-run"),
                new SafetyMatrix.Row("plain, no lock", "lost-refcount-update", "PlainControl", "UNSAFE: 12 in 900 samples", 900, "control-fired"),
                new SafetyMatrix.Row("faithful", "undetected-persistence", "SilentControl", "not observed in 800 samples", 800, "control-silent"));
        // A configuration no test maps to keeps its row, every cell "not covered".
        assertThat(rows.stream().filter(r -> r.configuration().equals("isolated")))
                .hasSize(2).allMatch(r -> r.outcome().equals("not covered") && r.verdict().equals("not-covered"));
    }

    @Test
    void csvHasTheResultsFolderColumnsAndQuotesCommas(@TempDir Path dir) throws Exception {
        String csv = new SafetyMatrix(summary(dir), List.of("gil")).csv();
        assertThat(csv).startsWith("configuration,hazard,test,outcome,samples,verdict\r\n")
                .contains("gil,lost-refcount-update,PlainUnderGil,\"not observed in 1,000 samples\",1000,not-observed\r\n")
                .contains("\"plain, no lock\",lost-refcount-update,PlainControl,UNSAFE: 12 in 900 samples,900,control-fired\r\n");
    }

    @Test
    void markdownHeadsAnInvalidRunAndListsWhy(@TempDir Path dir) throws Exception {
        String md = new SafetyMatrix(summary(dir), List.of("gil", "isolated")).markdown("t");
        assertThat(md).contains("4 of 4 selected tests ran").contains("**INVALID**")
                .contains("- p.SilentControl: known-unsafe control did not fire")
                .contains("| `gil` | not observed in 1,000 samples (`PlainUnderGil`) | not applicable |")
                .contains("| `isolated` | not covered | not covered |")
                .contains("- `gil`: under the GIL. Not applicable: undetected persistence (one heap)");
    }

    @Test
    void aTruncatedSummaryIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("summary.tsv");
        Files.writeString(f, SUMMARY.substring(0, SUMMARY.indexOf("verdict")), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> StressSummary.read(f)).hasMessageContaining("no verdict line");
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        ComponentRegistry registry = ComponentRegistry.load();
        Path jar = Files.createFile(dir.resolve("jcstress.jar"));
        assertThatThrownBy(() -> SafetyMatrixRun.run("tough", Optional.empty(), List.of(), dir, jar, registry, null))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("mode: 'tough'").hasMessageContaining("sanity, quick, default");
        assertThatThrownBy(() -> SafetyMatrixRun.run("sanity", Optional.of("(("), List.of(), dir, jar, registry, null))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("only: '(('");
        assertThatThrownBy(() -> SafetyMatrixRun.run("sanity", Optional.empty(), List.of("nope"), dir, jar, registry, null))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("configuration: 'nope'").hasMessageContaining("gil");
        assertThatThrownBy(() -> SafetyMatrixRun.run("sanity", Optional.empty(), List.of(), dir, dir.resolve("missing.jar"), registry, null))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("missing.jar")
                .hasMessageContaining("./mvnw -B -pl stress -am package -DskipTests");
        Files.writeString(dir.resolve("stress.csv"), "earlier results");
        assertThatThrownBy(() -> SafetyMatrixRun.run("sanity", Optional.empty(), List.of(), dir, jar, registry, null))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("stress.csv exists");
        assertThat(Files.readString(dir.resolve("stress.csv"))).isEqualTo("earlier results");
        assertThat(dir.resolve("jcstress")).doesNotExist();
    }

    @Test
    void theJarIsFoundInThisRepository() {
        assertThat(SafetyMatrixRun.locateJar()).endsWith(Path.of("stress", "target", "jcstress.jar"));
        assertThat(SafetyMatrixRun.locateJar().getParent().getParent().resolve("pom.xml")).exists();
    }
}
