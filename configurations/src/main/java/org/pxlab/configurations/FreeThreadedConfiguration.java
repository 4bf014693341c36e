package org.pxlab.configurations;

import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.ConfigurationProvider;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.discipline.PythonVersion;

/**
 * {@code free-threaded}: CPython 3.14t, the free-threaded build as it became supported
 * (PEP 779). As {@code free-threaded-3.13} (one space of {@code thread-sharded} memory,
 * {@code biased} counts, {@code per-object-locks} with optimistic reads, the
 * {@code stop-the-world} collector), but nothing is immortalized beyond the statics and interned
 * strings every configuration has: types, functions, code and modules are {@code deferred}
 * instead ({@code _PyObject_SetDeferredRefcount}; frames hold them as tagged, uncounted stack
 * references, and only a collection frees them), and heap types and code objects get
 * {@code per-thread-slots} ({@code uniqueid.c}: an instance's reference to its type and a
 * function's to its code go to the creating thread's plain slot, merged by the collector and at
 * thread exit). So what 3.13t leaks by immortalizing (its never-freed bytes) 3.14t can free, and
 * shared functions, classes and modules are touched by no count on the hot path either way.
 *
 * <p>The reference discipline is 3.12's table (the one pxlab generates) with 3.14t's stack
 * references on top: a reference pushed from a borrowed source is tagged instead of counted
 * when its object is deferred or immortal ({@code PyStackRef_FromPyObjectNew}), and closes skip
 * tagged references (see {@code Mutator}). 3.14t's other specialisations (LOAD_FAST_BORROW,
 * LOAD_CONST_IMMORTAL/MORTAL, per-thread counts for a function's globals and builtins) are not
 * modelled.
 */
public final class FreeThreadedConfiguration implements ConfigurationProvider {
    @Override
    public ConfigurationDeclaration declaration() {
        return ConfigurationDeclaration.named("free-threaded")
                .describedAs("CPython 3.14t: thread-sharded (mimalloc, QSBR), biased refcounts with types, functions, code and"
                        + " modules deferred (stack references uncounted) and per-thread counts for types and code,"
                        + " per-object locks with optimistic reads, stop-the-world GC")
                .models(PythonVersion.V3_12)
                .sync("per-object-locks")
                .syncOption("reads", "optimistic")
                .space("main", s -> s.allocator("thread-sharded").refcount("biased")
                        .option("biased", "deferred", "types,functions,code,modules")
                        .option("biased", "per-thread-slots", "types,code")
                        .collector(FineGrainedConfiguration.COLLECTOR))
                .place(Placement.ANY, "main")
                .build();
    }
}
