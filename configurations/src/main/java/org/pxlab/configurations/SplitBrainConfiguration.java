package org.pxlab.configurations;

import java.util.EnumSet;
import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.ConfigurationProvider;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.discipline.PythonVersion;

/**
 * {@code split-brain}: PyParallel. Two spaces. The main thread's is CPython's (pymalloc size
 * classes, plain counts, the generational cycle collector). Each parallel context's is a chain
 * of 4 KiB bump pages with an 8-byte size prefix per block, whose objects nobody counts
 * ({@code elided}) or tracks ({@code arena-release}): a request's objects vanish when its
 * snapshot is rolled back. The {@code split-brain} discipline makes the main thread the GIL
 * holder, lets workers run in parallel contexts without it, and guards every store against
 * persisting a parallel object (the complete guard; {@code guard: faithful} reproduces
 * PyParallel's own). Workers are parallel from the start: outside a context they cannot
 * allocate at all.
 */
public final class SplitBrainConfiguration implements ConfigurationProvider {
    @Override
    public ConfigurationDeclaration declaration() {
        return ConfigurationDeclaration.named("split-brain")
                .describedAs("PyParallel: main heap (pymalloc, plain, cycle GC) held by the GIL; per-connection parallel contexts"
                        + " (bump arenas rolled back per request, elided refcounts); complete persistence guard")
                .models(PythonVersion.V3_12)
                .sync("split-brain")
                .space("main", s -> s.allocator("size-class-pool").refcount("plain").collector("cycle"))
                .space("context", s -> s.allocator("bump-arena").refcount("elided").collector("arena-release").threadPrivate())
                .place(EnumSet.of(Placement.MAIN, Placement.INTERPRETER), "main")
                .place(EnumSet.of(Placement.WORKER, Placement.PARALLEL_CONTEXT), "context")
                .build();
    }
}
