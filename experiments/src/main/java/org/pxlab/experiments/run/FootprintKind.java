package org.pxlab.experiments.run;

import java.util.ArrayList;
import java.util.List;
import org.pxlab.experiments.footprint.Footprint;
import org.pxlab.experiments.footprint.JvmStructures;
import org.pxlab.experiments.suite.Kind;
import org.pxlab.experiments.suite.Measurement;
import org.pxlab.experiments.workload.ServedWorkload;
import org.pxlab.runtime.serve.Server;
import org.pxlab.runtime.spi.AllocatorStatistics;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * Footprint: as {@code pxlab footprint}, the simulated bytes each space's allocator holds
 * ({@link Footprint}) after the workload's set-up and {@code requests} requests served closed
 * loop, and the components' JVM-side bytes ({@link JvmStructures}, JOL). footprint.csv gets
 * every space and the total; results.csv the total in-use bytes and the header's size.
 *
 * <p>{@code arena_high_water_per_request_bytes} is for a per-context space (split-brain's
 * {@code context}): the most bytes one request took in its context's request arena, measured
 * before each request's rollback ({@link Footprint#requestArenas()}).
 */
final class FootprintKind implements MeasurementKind {
    @Override
    public Kind kind() {
        return Kind.FOOTPRINT;
    }

    @Override
    public double estimatedSeconds(Measurement m) {
        return 3 + Long.parseLong(m.setting("requests")) / 200_000.0;
    }

    @Override
    public Outcome run(Measurement m, MeasurementContext context) {
        long requests = Long.parseLong(m.setting("requests"));
        Footprint after;
        long jvm = 0;
        try (ServedWorkload served = ServedWorkload.start(context.configuration(m), context.workloads().named(m.workload()),
                new ComponentParameters(m.workload(), m.params()))) {
            Server.serve(served.runtime(), served.service(), m.threads(), 0, requests);
            after = Footprint.of("after serving", served.runtime());
            for (JvmStructures.Row r : JvmStructures.measure(served.runtime())) jvm += r.bytes();
        }
        List<FootprintRow> rows = new ArrayList<>();
        rows.add(new FootprintRow("total", "header_bytes", after.headerBytes()));
        for (Footprint.SpaceBytes s : after.spaces()) {
            bytes(rows, s.space(), s.statistics());
            if (s.contextArenas() > 0 && after.requestArenas() != null) {
                rows.add(new FootprintRow(s.space(), "arena_high_water_per_request_bytes",
                        after.requestArenas().largestBytes()));
            }
        }
        AllocatorStatistics total = after.total();
        bytes(rows, "total", total);
        rows.add(new FootprintRow("total", "jvm_bytes", jvm));
        return new Outcome(List.of(ResultRow.of("in_use_bytes", total.inUse(), "bytes"),
                ResultRow.of("header_bytes", after.headerBytes(), "bytes")), rows);
    }

    private static void bytes(List<FootprintRow> rows, String space, AllocatorStatistics s) {
        rows.add(new FootprintRow(space, "reserved_bytes", s.reserved()));
        rows.add(new FootprintRow(space, "in_use_bytes", s.inUse()));
        rows.add(new FootprintRow(space, "peak_bytes", s.peakInUse()));
    }
}
