package org.pxlab.experiments.stress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stress run as the stress module's {@code SummaryFile} wrote it: the hazards (in column
 * order), each configuration's usage rule and excluded hazards, every test in the jar with
 * its mapping and counts, and the run's verdict. The format is documented on
 * {@code org.pxlab.stress.check.SummaryFile}; this side has no jcstress on its class path.
 *
 * @param hazards  hazard id -> label, in column order
 * @param rules    configuration -> usage rule
 * @param excluded configuration -> (hazard id -> why it cannot arise there)
 * @param tests    every test in the jar, by class name
 * @param failures the verdict's failures (empty if the run passed)
 * @param verdict  passed, failed or invalid
 * @param testsRan tests that produced samples
 * @param selected tests the run selected
 */
public record StressSummary(Map<String, String> hazards, Map<String, String> rules, Map<String, Map<String, String>> excluded,
                            Map<String, Test> tests, List<String> failures, String verdict, int testsRan, int selected) {

    /**
     * One test.
     *
     * @param name           its class name
     * @param hazards        hazard ids it reports
     * @param configurations configurations whose cells it fills (none: a control, or a component no configuration uses)
     * @param setup          what it races, in a few words
     * @param control        whether it is a known-unsafe control
     * @param selected       whether the run selected it
     * @param samples        samples over all JVM configurations
     * @param hazardSamples  a control's interesting outcomes; another test's forbidden or ungraded ones
     * @param jvmConfigurations JVM configurations that produced samples
     */
    public record Test(String name, List<String> hazards, List<String> configurations, String setup, boolean control,
                       boolean selected, long samples, long hazardSamples, int jvmConfigurations) {
        /** Whether it produced samples. */
        public boolean ran() {
            return samples > 0;
        }

        /** The class name without its package. */
        public String simpleName() {
            return name.substring(name.lastIndexOf('.') + 1);
        }
    }

    /** The first line a summary file must have. */
    static final String HEADER = "# pxlab stress summary 1";

    /** Reads a summary file; an unreadable or foreign file is an {@link IOException} naming the line. */
    public static StressSummary read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + ": not a stress summary (its first line is not '" + HEADER + "')");
        }
        Map<String, String> hazards = new LinkedHashMap<>();
        Map<String, String> rules = new LinkedHashMap<>();
        Map<String, Map<String, String>> excluded = new LinkedHashMap<>();
        Map<String, Test> tests = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        String verdict = null;
        int ran = 0;
        int selected = 0;
        for (int n = 1; n < lines.size(); n++) {
            String[] f = lines.get(n).split("\t", -1);
            try {
                switch (f[0]) {
                    case "hazard" -> hazards.put(f[1], f[2]);
                    case "claims" -> rules.put(f[1], f[2]);
                    case "excluded" -> excluded.computeIfAbsent(f[1], k -> new LinkedHashMap<>()).put(f[2], f[3]);
                    case "test" -> tests.put(f[1], new Test(f[1], list(f[2]), list(f[3]), f[4], f[5].equals("control"),
                            f[6].equals("selected"), Long.parseLong(f[7]), Long.parseLong(f[8]), Integer.parseInt(f[9])));
                    case "failure" -> failures.add(f[1]);
                    case "verdict" -> {
                        verdict = f[1];
                        ran = Integer.parseInt(f[2]);
                        selected = Integer.parseInt(f[3]);
                    }
                    default -> throw new IOException("unknown record '" + f[0] + "'");
                }
            } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
                throw new IOException(file + " line " + (n + 1) + ": malformed record: " + lines.get(n), e);
            }
        }
        if (verdict == null) throw new IOException(file + ": no verdict line (the run did not finish writing it)");
        return new StressSummary(hazards, rules, excluded, tests, failures, verdict, ran, selected);
    }

    private static List<String> list(String field) {
        return field.isEmpty() ? List.of() : Arrays.asList(field.split(","));
    }

    /** Whether the run passed: nothing forbidden, every selected test ran, every control fired. */
    public boolean passed() {
        return verdict.equals("passed");
    }
}
