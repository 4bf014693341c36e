package org.pxlab.configurations;

import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.ConfigurationProvider;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.discipline.PythonVersion;

/**
 * {@code fine-grained}: "remove the GIL, lock everything, interlock the refcounts", the
 * conventional approach PyParallel's author argued could never perform, in its strongest fair
 * form: one space of {@code thread-sharded} memory (mimalloc-like per-thread heaps, QSBR-delayed
 * reuse), {@code interlocked} counts (every update an atomic read-modify-write, PEP 683
 * immortals), {@code per-object-locks} (PEP 703's header mutex and critical sections around
 * every container mutation) with CPython 3.13t's optimistic item reads, and the
 * {@code stop-the-world} collector. What it lacks, next to {@code free-threaded}, is biased,
 * deferred and per-thread counting: every reference to a shared object is a contended atomic.
 */
public final class FineGrainedConfiguration implements ConfigurationProvider {
    /** The collector both fine-grained configurations name. */
    public static final String COLLECTOR = "stop-the-world";

    @Override
    public ConfigurationDeclaration declaration() {
        return ConfigurationDeclaration.named("fine-grained")
                .describedAs("No GIL, everything locked, counts interlocked: thread-sharded (mimalloc, QSBR), interlocked,"
                        + " per-object locks with optimistic reads, stop-the-world GC")
                .models(PythonVersion.V3_12)
                .sync("per-object-locks")
                .syncOption("reads", "optimistic")
                .space("main", s -> s.allocator("thread-sharded").refcount("interlocked").collector(COLLECTOR))
                .place(Placement.ANY, "main")
                .build();
    }
}
