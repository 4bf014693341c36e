package org.pxlab.experiments.projection;

import java.util.Map;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.serve.Server;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * A projection's native measurement, in a JVM of its own ({@link ChildJvm}, started by
 * {@link Projection#measure}): one configuration, so its component call sites stay monomorphic
 * as in a JMH fork. Serves the workload closed loop on 1 to {@code MAX_WORKERS} workers of one
 * runtime, after a warm-up of three measurement times on each worker count (the first timed
 * run of a fresh JVM otherwise pays for compilation), then {@value #WINDOWS} windows of the
 * measurement time on each, and reports the fastest window: on a shared 2-core machine another
 * process only ever slows a window, and one disturbed window of a single one made a workload's
 * interpreter work {@code W}, and with it every projection of that workload, off by tens of
 * percent. Arguments:
 * {@code CONFIG WORKLOAD MEASURE_NANOS MAX_WORKERS [KEY=VALUE...]}; prints {@code rps.N=} the
 * requests per second on N workers, then {@code done}.
 */
public final class MeasuringMain {
    /** Measurement windows per worker count; the fastest is reported. */
    static final int WINDOWS = 3;

    private MeasuringMain() {}

    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: MeasuringMain CONFIG WORKLOAD MEASURE_NANOS MAX_WORKERS [KEY=VALUE...]");
            System.exit(2);
        }
        Map<String, String> options = ChildJvm.options(args, 4);
        long measureNanos = Long.parseLong(args[2]);
        int maxWorkers = Integer.parseInt(args[3]);
        Workload w = Workloads.load().named(args[1]);
        try (PxRuntime runtime = PxRuntime.start(ComponentRegistry.load().assemble(args[0]))) {
            Service service = Server.setUp(runtime, w, new ComponentParameters(w.name(), options));
            for (int n = 1; n <= maxWorkers; n++) Server.serveFor(runtime, service, n, 3 * measureNanos);
            for (int n = 1; n <= maxWorkers; n++) {
                double best = 0;
                for (int i = 0; i < WINDOWS; i++) best = Math.max(best, Server.serveFor(runtime, service, n, measureNanos).throughput());
                System.out.println("rps." + n + "=" + best);
            }
        }
        System.out.println("done");
    }
}
