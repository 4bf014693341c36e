package org.pxlab.experiments.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.LongStream;
import org.pxlab.experiments.footprint.Footprint;
import org.pxlab.experiments.footprint.JvmStructures;
import org.pxlab.experiments.workload.ServedWorkload;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.context.RequestArenaUse;
import org.pxlab.runtime.serve.Server;
import org.pxlab.runtime.serve.ServingSession;
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
    /** The most requests timed one by one: their times are kept in an array. */
    static final long MAX_TIMED = 1_000_000L;
    /** Up to this many timed requests, each one's time is printed too. */
    static final int MAX_LISTED = 100;

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

    @Option(names = "--time-each", description = {"Serve the requests one at a time and print their wall times",
            "(mean, standard deviation, min, max): for requests of milliseconds, not microseconds."})
    private boolean timeEach;

    @Override
    public void run() {
        target.checkWorkers();
        if (requests < 0 || requests > MAX_REQUESTS) {
            throw new ConfigurationException("--requests", Long.toString(requests), "0 to " + MAX_REQUESTS);
        }
        if (timeEach && requests > MAX_TIMED) {
            throw new ConfigurationException("--requests", Long.toString(requests), "0 to " + MAX_TIMED + " with --time-each");
        }
        long setUpStart = System.nanoTime();
        try (ServedWorkload started = target.start(pxlab)) {
            // The runtime's start is in it too: a few milliseconds beside any set-up worth timing.
            long setUpNanos = System.nanoTime() - setUpStart;
            Footprint setUp = Footprint.of("after set-up", started.runtime());
            long[] each = timeEach ? new long[(int) requests] : null;
            if (each == null) {
                Server.serve(started.runtime(), started.service(), target.workers, 0, requests);
            } else {
                // One request per batch, in one session: the workers stay up, so a request's
                // time is its own plus one hand-off to the workers and back (microseconds).
                try (ServingSession session = Server.open(started.runtime(), started.service(), target.workers)) {
                    for (int i = 0; i < each.length; i++) each[i] = session.serve(i, 1).elapsedNanos();
                }
            }
            Footprint served = Footprint.of(String.format(Locale.ROOT, "after serving %d requests on %d worker%s",
                    requests, target.workers, target.workers == 1 ? "" : "s"), started.runtime());
            List<JvmStructures.Row> jvm = noJvm ? List.of() : JvmStructures.measure(started.runtime());
            print(setUpNanos, setUp, served, each, jvm);
        }
    }

    private void print(long setUpNanos, Footprint setUp, Footprint served, long[] each, List<JvmStructures.Row> jvm) {
        PrintWriter o = spec.commandLine().getOut();
        o.printf("footprint: %s on %s; object header %d bytes in every space%n", target.workload, target.configuration,
                setUp.headerBytes());
        o.printf(Locale.ROOT, "set-up: %.3f s wall, %d objects allocated%n", setUpNanos / 1e9, setUp.total().allocations());
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
        RequestArenaUse arenas = served.requestArenas();
        if (arenas != null && arenas.requests() > 0) {
            o.printf(Locale.ROOT, "request arena high-water, bytes, over %d requests: mean %.1f, largest %d%n",
                    arenas.requests(), arenas.meanBytes(), arenas.largestBytes());
        }
        if (each != null && each.length > 0) {
            double mean = 0;
            for (long e : each) mean += e;
            mean /= each.length;
            double squares = 0;
            for (long e : each) squares += (e - mean) * (e - mean);
            double sd = each.length > 1 ? Math.sqrt(squares / (each.length - 1)) : 0;
            long[] sorted = each.clone();
            Arrays.sort(sorted);
            o.printf(Locale.ROOT, "request wall time, ms, %d requests one at a time: mean %.3f, sd %.3f, min %.3f, "
                    + "median %.3f, max %.3f%n", each.length, mean / 1e6, sd / 1e6, sorted[0] / 1e6,
                    sorted[sorted.length / 2] / 1e6, sorted[sorted.length - 1] / 1e6);
            // In order, so that the first requests' warm-up (JIT compilation, first-touch) shows.
            if (each.length <= MAX_LISTED) {
                StringBuilder b = new StringBuilder("  in order:");
                for (long e : each) b.append(String.format(Locale.ROOT, " %.3f", e / 1e6));
                o.println(b);
            }
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
