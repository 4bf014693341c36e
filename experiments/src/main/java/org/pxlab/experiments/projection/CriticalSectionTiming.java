package org.pxlab.experiments.projection;

import java.util.List;
import java.util.Map;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.runtime.spi.SyncDiscipline;
import org.pxlab.runtime.spi.SyncSite;

/**
 * Times an uncontended critical section as the runtime enters one: {@code lock(object)} then
 * {@code unlock(object)} through the {@code per-object-locks} discipline (the one
 * {@code fine-grained} and the free-threaded configurations use; {@code LockBench}'s
 * {@code uncontended_perObjectLocks} measures the same with JMH): the critical-section stack,
 * the statistics and the two atomics on the mutex word, on an object whose header is composed
 * as a configuration composes it. The counting run sees only the atomics; the rest, Java work
 * on the discipline's own fields, is what the lock price stands for.
 */
final class CriticalSectionTiming {
    /** A site that never schedules anything: nothing waits on the timed lock. */
    private static final SyncSite UNSCHEDULED = new SyncSite() {
        @Override
        public int breakerBit() {
            return 0;
        }

        @Override
        public void schedule(ThreadContext thread) {
            // no eval-breaker to set
        }
    };

    private CriticalSectionTiming() {}

    /** Nanoseconds per lock-and-unlock, fastest batch ({@link Calibrator#fastestBatch}). */
    static double nanosPerSection() {
        ComponentRegistry registry = ComponentRegistry.load();
        SyncDiscipline locks = registry.create(ComponentKind.SYNC, "per-object-locks", "sync", Map.of(), SyncDiscipline.class);
        // the refcount strategy only places the header's count fields, as in fine-grained's header
        StructLayout header = Heap.composeHeader(
                List.of(registry.create(ComponentKind.REFCOUNT, "interlocked", "refcount", Map.of(), RefCountStrategy.class)),
                locks.headerFields());
        locks.bind(header, UNSCHEDULED);
        ThreadContext thread = new ThreadContext(1, "pxlab-calibrate", Placement.WORKER);
        long object = SystemMalloc.calloc(header.size());
        try {
            return Calibrator.fastestBatch(n -> {
                for (int i = 0; i < n; i++) {
                    locks.lock(object, thread);
                    locks.unlock(object, thread);
                }
                return n;
            });
        } finally {
            SystemMalloc.free(object);
        }
    }

}
