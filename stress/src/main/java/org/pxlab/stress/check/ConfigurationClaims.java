package org.pxlab.stress.check;

import static org.pxlab.stress.support.Hazard.MAIN_FREE_UNDER_PARALLEL_READER;
import static org.pxlab.stress.support.Hazard.PROTECTED_OBJECT_UPDATE;
import static org.pxlab.stress.support.Hazard.REUSE_UNDER_OPTIMISTIC_READER;
import static org.pxlab.stress.support.Hazard.UNDETECTED_PERSISTENCE;
import static org.pxlab.stress.support.Hazard.USE_AFTER_ROLLBACK;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.pxlab.stress.support.Hazard;

/**
 * What the safety matrix says about each built-in configuration beyond the tests' outcomes:
 * the usage rule under which its "not observed" cells hold, and the hazards that cannot arise
 * in it at all, with why. A hazard neither covered by a test ({@link org.pxlab.stress.support.Covers})
 * nor declared here is reported "not covered", never "not applicable": the matrix claims no
 * more than was run or argued.
 *
 * @param configuration the configuration's registry name
 * @param rule          the usage rule under which it is safe, as far as the tests show
 * @param notApplicable hazards that cannot arise in it, each with the reason
 */
public record ConfigurationClaims(String configuration, String rule, Map<Hazard, String> notApplicable) {

    private static final String ONE_HEAP = "one shared heap: no parallel contexts, no rollback, no async.protect";

    /** The built-in configurations' claims; a configuration not listed has no rule and no exclusions. */
    public static final List<ConfigurationClaims> BUILT_IN = List.of(
            new ConfigurationClaims("gil",
                    "safe while every runtime thread holds the GIL to run simulated code (the runtime's threads do);"
                            + " the cycle collector runs under the GIL, so it never overlaps a mutator",
                    splitBrainOnly(Map.of(REUSE_UNDER_OPTIMISTIC_READER, "no optimistic reads: containers are read under the GIL"))),
            new ConfigurationClaims("split-brain",
                    "safe while parallel objects are not persisted (the complete guard refuses it) and the main thread does not"
                            + " free what parallel code reads: a shared main object must be async.protect-ed, and parallel code"
                            + " reads and stores it only inside its critical section (copying what it keeps)",
                    Map.of(REUSE_UNDER_OPTIMISTIC_READER,
                            "no optimistic reads: main objects are read under the GIL or a protection's lock, contexts are thread-private")),
            new ConfigurationClaims("fine-grained",
                    "safe while containers are mutated through the Mutator (each in its object's critical section), replaced blocks"
                            + " are retired through freeDelayed, and readers report quiescent points only where they hold no"
                            + " unprotected pointer",
                    splitBrainOnly(Map.of())),
            new ConfigurationClaims("fine-grained-global",
                    "safe while containers are read and mutated through the Mutator, each under its object's lock",
                    splitBrainOnly(Map.of(REUSE_UNDER_OPTIMISTIC_READER, "reads: locked: no optimistic reads"))),
            new ConfigurationClaims("free-threaded-3.13",
                    "as fine-grained; and a non-owner's decrements reach an object's count only through the owner's merge queue,"
                            + " drained by the owner or in a stop-the-world pause",
                    splitBrainOnly(Map.of())));

    public ConfigurationClaims {
        notApplicable = Map.copyOf(notApplicable);
    }

    /** The claims of {@code configuration}, or none (no rule, no exclusions). */
    public static ConfigurationClaims of(String configuration) {
        return BUILT_IN.stream().filter(c -> c.configuration.equals(configuration)).findFirst()
                .orElse(new ConfigurationClaims(configuration, "", Map.of()));
    }

    /** {@code more}, plus the hazards that exist only where a split heap has parallel contexts. */
    private static Map<Hazard, String> splitBrainOnly(Map<Hazard, String> more) {
        Map<Hazard, String> out = new EnumMap<>(Hazard.class);
        for (Hazard h : List.of(UNDETECTED_PERSISTENCE, USE_AFTER_ROLLBACK, MAIN_FREE_UNDER_PARALLEL_READER, PROTECTED_OBJECT_UPDATE)) {
            out.put(h, ONE_HEAP);
        }
        out.putAll(more);
        return out;
    }
}
