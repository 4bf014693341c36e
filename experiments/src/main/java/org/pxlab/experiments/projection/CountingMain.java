package org.pxlab.experiments.projection;

import java.util.Map;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * The counting runs of one projection, in a JVM of their own started with
 * {@code -Dpxlab.projection=true} ({@link CountingProcess} starts it), so that the JVM that
 * calibrates and measures never carries the memory observer. Arguments:
 * {@code CONFIG WORKLOAD WARMUP COUNTED CORES[,CORES...] [KEY=VALUE...]}; prints each core
 * count's {@link EventCounts#toLines} under the prefix {@code N.}, then {@code done}.
 */
public final class CountingMain {
    private CountingMain() {}

    public static void main(String[] args) {
        if (args.length < 5) {
            System.err.println("usage: CountingMain CONFIG WORKLOAD WARMUP COUNTED CORES[,CORES...] [KEY=VALUE...]");
            System.exit(2);
        }
        Map<String, String> options = ChildJvm.options(args, 5);
        ComponentRegistry registry = ComponentRegistry.load();
        Workload w = Workloads.load().named(args[1]);
        for (String n : args[4].split(",")) {
            int cores = Integer.parseInt(n);
            EventCounts c = new CountingRun(cores, Long.parseLong(args[2]), Long.parseLong(args[3]))
                    .count(registry, args[0], w, new ComponentParameters(w.name(), options));
            System.out.print(c.toLines(cores + "."));
            System.out.flush();
        }
        System.out.println("done");
    }
}
