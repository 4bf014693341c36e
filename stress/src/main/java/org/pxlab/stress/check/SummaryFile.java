package org.pxlab.stress.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.openjdk.jcstress.annotations.Expect;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/**
 * A stress run in a form the safety matrix ({@code org.pxlab.experiments.stress.SafetyMatrixRun},
 * which has no jcstress on its class path) reads: one tab-separated record per line, first
 * field the record's kind.
 *
 * <pre>
 * hazard   ID  LABEL                                       every hazard, in column order
 * claims   CONFIGURATION  RULE                             {@link ConfigurationClaims#BUILT_IN}
 * excluded CONFIGURATION  HAZARD_ID  REASON                a hazard that cannot arise there
 * test     CLASS  HAZARD_IDS  CONFIGURATIONS  SETUP  control|test  selected|not-selected  SAMPLES  HAZARD_SAMPLES  RAN
 * failure  TEXT                                            one of the verdict's failures
 * verdict  passed|failed|invalid  TESTS_RAN  TESTS_SELECTED
 * </pre>
 *
 * <p>Every test in the jar gets a {@code test} line, selected or not, so the matrix knows what
 * a {@code --only} run left out. HAZARD_SAMPLES counts a control's interesting outcomes (its
 * hazard) and any other test's forbidden or ungraded ones; RAN is the configurations that
 * produced samples. Lists are comma-separated; tabs and line breaks in text become spaces.
 */
public final class SummaryFile {
    /** The first line, naming the format and its version. */
    public static final String HEADER = "# pxlab stress summary 1";

    private SummaryFile() {}

    /** Writes the summary of a run (all of {@code allTests} listed, {@code summaries} for those that produced results). */
    public static void write(Path file, Collection<String> allTests, Set<String> selected, List<TestSummary> summaries,
                             SuiteVerdict verdict) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        for (Hazard h : Hazard.values()) lines.add(line("hazard", h.id(), h.label()));
        for (ConfigurationClaims c : ConfigurationClaims.BUILT_IN) {
            lines.add(line("claims", c.configuration(), c.rule()));
            c.notApplicable().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> lines.add(line("excluded", c.configuration(), e.getKey().id(), e.getValue())));
        }
        Map<String, TestSummary> byName = summaries.stream().collect(Collectors.toMap(TestSummary::test, t -> t));
        for (String test : allTests.stream().sorted().toList()) {
            Covers covers = coversOf(test);
            TestSummary s = byName.get(test);
            boolean control = StressSuite.controlOf(test) != null;
            long samples = s == null ? 0 : s.samples();
            long hazard = s == null ? 0 : control ? s.samples(Expect.ACCEPTABLE_INTERESTING) : samples - s.samples(Expect.ACCEPTABLE)
                    - s.samples(Expect.ACCEPTABLE_INTERESTING);
            lines.add(line("test", test,
                    covers == null ? "" : Arrays.stream(covers.hazards()).map(Hazard::id).collect(Collectors.joining(",")),
                    covers == null ? "" : String.join(",", covers.configurations()),
                    covers == null ? "" : covers.setup(),
                    control ? "control" : "test",
                    selected.contains(test) ? "selected" : "not-selected",
                    Long.toString(samples), Long.toString(hazard),
                    Integer.toString(s == null ? 0 : s.configurations())));
        }
        for (String f : verdict.failures()) lines.add(line("failure", f));
        lines.add(line("verdict", verdict.passed() ? "passed" : verdict.invalid() ? "invalid" : "failed",
                Long.toString(verdict.testsRan()), Integer.toString(selected.size())));
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** A test's {@link Covers}, read without initialising the class; {@code null} if it has none. */
    static Covers coversOf(String test) {
        try {
            return Class.forName(test, false, SummaryFile.class.getClassLoader()).getAnnotation(Covers.class);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static String line(String... fields) {
        return Arrays.stream(fields).map(f -> f.replaceAll("[\\t\\r\\n]+", " ")).collect(Collectors.joining("\t"));
    }
}
