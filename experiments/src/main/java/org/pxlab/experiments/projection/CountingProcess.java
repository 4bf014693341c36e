package org.pxlab.experiments.projection;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.stream.Collectors;

/**
 * Runs {@link CountingMain} in a child JVM (same JDK, same class path, with
 * {@code -Dpxlab.projection=true}) and reads its counts back. Its standard error passes
 * through, so a refusal (an unknown name, a bad option) reaches the user as it was worded.
 */
public final class CountingProcess {
    private CountingProcess() {}

    /**
     * @return counts per logical core count, for each of {@code cores}
     * @throws IllegalStateException if the child fails or prints no counts
     */
    public static Map<Integer, EventCounts> count(String configuration, String workload, Map<String, String> options,
                                                  long warmUp, long counted, SortedSet<Integer> cores) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dpxlab.projection=true",
                "-cp", System.getProperty("java.class.path"), CountingMain.class.getName(),
                configuration, workload, Long.toString(warmUp), Long.toString(counted),
                cores.stream().map(String::valueOf).collect(Collectors.joining(","))));
        options.forEach((k, v) -> command.add(k + "=" + v));
        Map<String, String> lines = new HashMap<>();
        boolean done = false;
        int exit;
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.equals("done")) done = true;
                    int eq = line.indexOf('=');
                    if (eq > 0) lines.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            exit = p.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("could not start the counting JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while counting", e);
        }
        if (exit != 0 || !done) {
            throw new IllegalStateException("the counting run of " + configuration + " x " + workload + " failed (exit " + exit
                    + "); its error is printed above");
        }
        Map<Integer, EventCounts> out = new LinkedHashMap<>();
        for (int n : cores) out.put(n, EventCounts.fromLines(lines, n + "."));
        return out;
    }
}
