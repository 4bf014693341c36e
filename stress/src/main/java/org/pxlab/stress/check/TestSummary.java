package org.pxlab.stress.check;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jcstress.annotations.Expect;

/**
 * What one jcstress test produced over all the configurations (JVM flags, compilation modes)
 * it ran in.
 *
 * @param test             the test's class name
 * @param control          the hazard it shows, if it is a known-unsafe control; {@code null} otherwise
 * @param outcomes         by outcome id (jcstress's rendering of the result, e.g. {@code "0, 1, 2"}),
 *                         every outcome the test declares and every one it produced
 * @param configurations   configurations that ran the test and produced samples
 * @param firedIn          configurations in which an {@code ACCEPTABLE_INTERESTING} outcome was seen
 * @param errors           configurations that failed (a test error, a crashed or timed-out VM), described
 */
public record TestSummary(String test, String control, Map<String, Outcome> outcomes, int configurations, int firedIn,
                          List<String> errors) {

    /**
     * One outcome.
     *
     * @param expect      how the test grades it
     * @param count       samples that produced it, summed over configurations
     * @param description the test's description of it
     */
    public record Outcome(Expect expect, long count, String description) {}

    public TestSummary {
        outcomes = Collections.unmodifiableMap(new TreeMap<>(outcomes));
        errors = List.copyOf(errors);
    }

    /** Samples over all outcomes and configurations. */
    public long samples() {
        return outcomes.values().stream().mapToLong(Outcome::count).sum();
    }

    /** Samples whose outcome the test grades as {@code expect}. */
    public long samples(Expect expect) {
        return outcomes.values().stream().filter(o -> o.expect() == expect).mapToLong(Outcome::count).sum();
    }

    /** Whether the test ran: some configuration produced samples. */
    public boolean ran() {
        return configurations > 0 && samples() > 0;
    }

    /** Whether this is a known-unsafe control. */
    public boolean isControl() {
        return control != null;
    }
}
