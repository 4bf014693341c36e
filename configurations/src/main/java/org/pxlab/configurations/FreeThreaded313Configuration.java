package org.pxlab.configurations;

import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.ConfigurationProvider;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.discipline.PythonVersion;

/**
 * {@code free-threaded-3.13}: CPython 3.13t, the design that shipped after PyParallel. One space
 * of {@code thread-sharded} memory (mimalloc's per-thread heaps, QSBR-delayed reuse) whose
 * objects count references {@code biased} (the owner thread's plain {@code ob_ref_local}, other
 * threads' atomic {@code ob_ref_shared}, merge queues), with types, functions, code and modules
 * {@code immortal} from their creation: 3.13t makes its deferred-refcount objects immortal as
 * soon as a second thread starts ({@code _PyGC_ImmortalizeDeferredObjects}), and a server runs
 * its workers from the start. {@code per-object-locks} with optimistic reads and the
 * {@code stop-the-world} collector as in {@code fine-grained}. The reference discipline modelled
 * is still 3.12's (the one pxlab implements); 3.13t emits the same increfs and decrefs for the
 * operations the seed workloads use, except where deferred references on the stack skip them,
 * which the immortal modifier makes moot for the kinds it covers.
 */
public final class FreeThreaded313Configuration implements ConfigurationProvider {
    @Override
    public ConfigurationDeclaration declaration() {
        return ConfigurationDeclaration.named("free-threaded-3.13")
                .describedAs("CPython 3.13t: thread-sharded (mimalloc, QSBR), biased refcounts with types, functions, code and"
                        + " modules immortal, per-object locks with optimistic reads, stop-the-world GC")
                .models(PythonVersion.V3_12)
                .sync("per-object-locks")
                .syncOption("reads", "optimistic")
                .space("main", s -> s.allocator("thread-sharded").refcount("biased")
                        .option("biased", "immortal", "types,functions,code,modules")
                        .collector(FineGrainedConfiguration.COLLECTOR))
                .place(Placement.ANY, "main")
                .build();
    }
}
