package org.pxlab.stress.check;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.openjdk.jcstress.annotations.Expect;

/**
 * The rules that make a stress run pass, applied to the {@link TestSummary summaries} of a
 * jcstress run:
 *
 * <ol>
 *   <li><b>Nothing forbidden.</b> No sample of any test produced an outcome graded
 *       {@code FORBIDDEN} (or one the test does not grade at all).</li>
 *   <li><b>No errors.</b> No configuration of any test failed (a test exception, a crashed or
 *       timed-out VM).</li>
 *   <li><b>Every test ran.</b> Every test the run selected produced samples, and at least
 *       {@code minimumTests} did. jcstress skips tests it cannot schedule (more actors than
 *       CPUs: "No scheduling is possible") without failing, so a test that silently stopped
 *       running would otherwise look like a pass.</li>
 *   <li><b>Every control fired.</b> Each test marked
 *       {@link org.pxlab.stress.support.KnownUnsafeControl} observed at least one
 *       {@code ACCEPTABLE_INTERESTING} outcome (its hazard) over all its configurations. A
 *       control that never shows its hazard means the run could not have shown the same
 *       hazard anywhere else, so the run is invalid, whatever the other tests say.</li>
 * </ol>
 *
 * <p>The report states each test's hazards as DESIGN.md section 6 asks: "observed k in N
 * samples" or "not observed in N samples", never a bare "safe".
 */
public final class SuiteVerdict {
    private final List<TestSummary> tests;
    private final Set<String> selected;
    private final int minimumTests;
    private final List<String> failures = new ArrayList<>();
    private boolean invalid;

    /**
     * @param tests        the summaries of the tests that produced any result
     * @param selected     the tests the run selected (all that should have run)
     * @param minimumTests the fewest tests that must have run
     */
    public SuiteVerdict(List<TestSummary> tests, Set<String> selected, int minimumTests) {
        this.tests = List.copyOf(tests);
        this.selected = new TreeSet<>(selected);
        this.minimumTests = minimumTests;
        judge();
    }

    private void judge() {
        Set<String> ran = new TreeSet<>();
        for (TestSummary t : tests) {
            if (t.ran()) ran.add(t.test());
            for (String e : t.errors()) failures.add(t.test() + ": " + e);
            for (Map.Entry<String, TestSummary.Outcome> o : t.outcomes().entrySet()) {
                Expect e = o.getValue().expect();
                long k = o.getValue().count();
                if (k > 0 && e != Expect.ACCEPTABLE && e != Expect.ACCEPTABLE_INTERESTING) {
                    failures.add(String.format(Locale.ROOT, "%s: %s outcome [%s] observed %,d in %,d samples (%s)",
                            t.test(), e == Expect.FORBIDDEN ? "forbidden" : "ungraded", o.getKey(), k, t.samples(),
                            o.getValue().description()));
                }
            }
            if (t.isControl() && t.ran() && t.samples(Expect.ACCEPTABLE_INTERESTING) == 0) {
                invalid = true;
                failures.add(String.format(Locale.ROOT,
                        "%s: known-unsafe control did not fire (%s not observed in %,d samples): the run is invalid,"
                                + " it could not have seen this hazard in the other tests either", t.test(), t.control(), t.samples()));
            }
        }
        Set<String> missing = new TreeSet<>(selected);
        missing.removeAll(ran);
        for (String m : missing) failures.add(m + ": did not run (no samples; skipped, unschedulable or crashed)");
        if (ran.size() < minimumTests) {
            failures.add(ran.size() + " tests ran, fewer than the " + minimumTests + " expected");
        }
    }

    /** Whether the run passed every rule. */
    public boolean passed() {
        return failures.isEmpty();
    }

    /** Whether a control failed to fire, which makes the whole run meaningless. */
    public boolean invalid() {
        return invalid;
    }

    /** Why the run failed; empty if it passed. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Tests that ran. */
    public long testsRan() {
        return tests.stream().filter(TestSummary::ran).count();
    }

    /** Prints a summary: per test, its outcomes with sample counts, then the verdict. */
    public void print(PrintStream out) {
        out.println();
        out.println("pxlab stress suite");
        out.println("==================");
        out.printf(Locale.ROOT, "%d of %d selected tests ran (at least %d required)%n", testsRan(), selected.size(), minimumTests);
        for (TestSummary t : tests) {
            out.println();
            out.printf(Locale.ROOT, "%s%s%n", t.test(), t.isControl() ? "  [known-unsafe control: " + t.control() + "]" : "");
            out.printf(Locale.ROOT, "  %,d samples in %d configurations%n", t.samples(), t.configurations());
            for (Map.Entry<String, TestSummary.Outcome> o : t.outcomes().entrySet()) {
                TestSummary.Outcome v = o.getValue();
                out.printf(Locale.ROOT, "    %-18s %,14d  %-22s %s%n", "[" + o.getKey() + "]", v.count(), label(v.expect()),
                        v.description() == null ? "" : v.description());
            }
            for (Map.Entry<String, TestSummary.Outcome> o : t.outcomes().entrySet()) {
                TestSummary.Outcome v = o.getValue();
                if (v.expect() == Expect.FORBIDDEN) {
                    out.printf(Locale.ROOT, "  hazard [%s]: %s%n", o.getKey(), v.count() == 0
                            ? String.format(Locale.ROOT, "not observed in %,d samples", t.samples())
                            : String.format(Locale.ROOT, "UNSAFE: %,d in %,d samples", v.count(), t.samples()));
                }
            }
            if (t.isControl()) {
                long k = t.samples(Expect.ACCEPTABLE_INTERESTING);
                out.printf(Locale.ROOT, "  control (%s): %s%n", t.control(), k > 0
                        ? String.format(Locale.ROOT, "fired: %,d in %,d samples, in %d of %d configurations", k, t.samples(),
                                t.firedIn(), t.configurations())
                        : String.format(Locale.ROOT, "DID NOT FIRE in %,d samples", t.samples()));
            }
            for (String e : t.errors()) out.println("  error: " + e);
        }
        out.println();
        if (passed()) {
            out.println("STRESS SUITE PASSED: no forbidden outcome, every selected test ran, every control fired.");
        } else {
            out.println(invalid ? "STRESS SUITE INVALID:" : "STRESS SUITE FAILED:");
            for (String f : failures) out.println("  - " + f);
        }
    }

    private static String label(Expect e) {
        return switch (e) {
            case ACCEPTABLE -> "acceptable";
            case ACCEPTABLE_INTERESTING -> "interesting";
            case FORBIDDEN -> "FORBIDDEN";
            default -> e.name();
        };
    }
}
