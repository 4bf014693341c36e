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

/**
 * A projection's runs in JVMs of their own: the same JDK and class path, a {@code main} that
 * prints {@code KEY=VALUE} lines and then {@code done}. Counting runs need one because they
 * carry the memory observer ({@code -Dpxlab.projection=true}); native measurements need one
 * because a JVM that has served other configurations has seen several implementations of each
 * component interface at the same call sites, and its compiled code, no longer monomorphic,
 * serves a configuration measurably slower than a fresh JVM does (JMH forks for the same reason).
 * The child's standard error passes through, so a refusal reaches the user as it was worded.
 */
final class ChildJvm {
    private ChildJvm() {}

    /**
     * Runs {@code main} with {@code flags} before the class path and {@code args} after the class.
     *
     * @param what what the run is, for the error ("the counting run of gil x json")
     * @return the child's {@code KEY=VALUE} lines
     * @throws IllegalStateException if the child fails or does not print {@code done}
     */
    static Map<String, String> run(List<String> flags, Class<?> main, List<String> args, String what) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
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
            throw new IllegalStateException("could not start the JVM for " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what, e);
        }
        if (exit != 0 || !done) {
            throw new IllegalStateException(what + " failed (exit " + exit + "); its error is printed above");
        }
        return lines;
    }

    /** Workload options as {@code KEY=VALUE} arguments. */
    static List<String> optionArgs(Map<String, String> options) {
        List<String> out = new ArrayList<>();
        options.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /** The {@code KEY=VALUE} arguments from {@code from} on, as workload options. */
    static Map<String, String> options(String[] args, int from) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        return options;
    }
}
