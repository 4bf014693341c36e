package org.pxlab.experiments.projection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.stream.Collectors;

/**
 * Runs {@link CountingMain} in a child JVM ({@link ChildJvm}, with {@code -Dpxlab.projection=true})
 * and reads its counts back.
 */
public final class CountingProcess {
    private CountingProcess() {}

    /**
     * @return counts per logical core count, for each of {@code cores}
     * @throws IllegalStateException if the child fails or prints no counts
     */
    public static Map<Integer, EventCounts> count(String configuration, String workload, Map<String, String> options,
                                                  long warmUp, long counted, SortedSet<Integer> cores) {
        List<String> args = new ArrayList<>(List.of(configuration, workload, Long.toString(warmUp), Long.toString(counted),
                cores.stream().map(String::valueOf).collect(Collectors.joining(","))));
        args.addAll(ChildJvm.optionArgs(options));
        Map<String, String> lines = ChildJvm.run(List.of("-Dpxlab.projection=true"), CountingMain.class, args,
                "the counting run of " + configuration + " x " + workload);
        Map<Integer, EventCounts> out = new LinkedHashMap<>();
        for (int n : cores) out.put(n, EventCounts.fromLines(lines, n + "."));
        return out;
    }
}
