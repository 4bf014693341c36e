package org.pxlab.experiments.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.pxlab.experiments.footprint.Footprint;
import org.pxlab.experiments.footprint.JvmStructures;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.serve.Server;
import org.pxlab.runtime.spi.AllocatorStatistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code pxlab footprint CONFIG WORKLOAD}: the simulated memory each space's allocator holds
 * after the workload's set-up and again after serving a number of requests (closed loop, every
 * answer verified), the object header's size, and the Java objects the components keep,
 * measured with JOL. Writes nothing.
 */
@Command(name = "footprint", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints the simulated bytes each space's allocator holds after set-up and after serving,",
                "the object header's size, and the components' JVM-side structures (JOL)."})
final class FootprintCommand implements Runnable {
    /** The most requests served: a billion, far beyond what a footprint needs. */
    static final long MAX_REQUESTS = 1_000_000_000L;

    @ParentCommand
    private PxlabCommand pxlab;

    @Spec
    private CommandSpec spec;

    @Mixin
    private WorkloadArguments target;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "10000",
            description = "Requests served between the two readings (default: ${DEFAULT-VALUE}).")
    private long requests;

    @Option(names = "--no-jvm", description = "Skip the JOL walk of the components' Java objects.")
    private boolean noJvm;

    @Override
    public void run() {
        target.checkWorkers();
        if (requests < 0 || requests > MAX_REQUESTS) {
            throw new ConfigurationException("--requests", Long.toString(requests), "0 to " + MAX_REQUESTS);
        }
        try (WorkloadArguments.Started started = target.start(pxlab)) {
            Footprint setUp = Footprint.of("after set-up", started.runtime());
            Server.serve(started.runtime(), started.service(), target.workers, 0, requests);
            Footprint served = Footprint.of(String.format(Locale.ROOT, "after serving %d requests on %d worker%s",
                    requests, target.workers, target.workers == 1 ? "" : "s"), started.runtime());
            List<JvmStructures.Row> jvm = noJvm ? List.of() : JvmStructures.measure(started.runtime());
            print(setUp, served, jvm);
        }
    }

    private void print(Footprint setUp, Footprint served, List<JvmStructures.Row> jvm) {
        PrintWriter o = spec.commandLine().getOut();
        o.printf("footprint: %s on %s; object header %d bytes in every space%n", target.workload, target.configuration,
                setUp.headerBytes());
        for (Footprint.SpaceBytes s : setUp.spaces()) {
            o.printf("  space %s: %s, pre-header %d bytes per tracked container%n", s.space(), s.allocator(),
                    s.preHeaderBytes());
        }
        o.printf(Locale.ROOT, "%-44s %12s %12s %12s %12s %12s%n", "simulated memory, bytes", "reserved", "in use", "peak in use",
                "allocations", "frees");
        for (Footprint f : List.of(setUp, served)) {
            o.println(f.moment());
            for (Footprint.SpaceBytes s : f.spaces()) {
                String label = s.space() + " (" + s.allocator()
                        + (s.contextArenas() >= 0 ? ", " + s.contextArenas() + " arenas summed" : "") + ")";
                row(o, "  " + label, s.statistics());
            }
            if (f.spaces().size() > 1) row(o, "  all spaces", f.total());
        }
        if (!jvm.isEmpty()) {
            o.printf("%-58s %10s %12s%n", "JVM-side structures after serving (JOL sizes)", "objects", "bytes");
            for (JvmStructures.Row r : jvm) o.printf("  %-56s %10d %12d%n", r.name(), r.objects(), r.bytes());
        }
        o.flush();
    }

    private static void row(PrintWriter o, String label, AllocatorStatistics s) {
        o.printf(Locale.ROOT, "%-44s %12d %12d %12d %12d %12d%n", label, s.reserved(), s.inUse(), s.peakInUse(),
                s.allocations(), s.frees());
    }
}
