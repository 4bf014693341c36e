package org.pxlab.stress.split;

import java.util.Map;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.spi.SyncDiscipline;
import org.pxlab.stress.support.Housekeeping;

/**
 * One {@code split-brain} runtime per JVM, whose main heap, contexts and guard jcstress's
 * actors use directly: actor1 plays a thread serving a connection in a parallel context,
 * actor2 the main thread (the GIL holder).
 *
 * <h2>Why the actors are not the runtime's own threads</h2>
 * The runtime runs simulated code on threads it starts ({@link PxRuntime#onMain},
 * {@link PxRuntime#runWorkers}); handing each sample to them would put a queue between the
 * two actors and no race would be left. So the rig starts the runtime once (configuration
 * {@code split-brain}, assembled by the registry, with {@code guard: faithful} on request),
 * lets its main thread bootstrap the heap, and then drives the components the runtime
 * composed (the heap, its dicts and lists, the {@code split-brain} discipline with its
 * contexts, guard and protection) from the actors' threads, with thread contexts of their own.
 * The runtime's main thread stays idle, detached, for the rest of the run.
 *
 * <h2>Thread contexts</h2>
 * Ids 8 to 11, clear of the runtime's own (its main thread is 0; no worker is started):
 * {@link #PARALLEL} serves one connection for the whole run ({@code beginConnection} at
 * start: it is placed in the context space, so it counts nothing, allocates in its context
 * and is parallel to the guard), as {@link #PARALLEL_SECOND} does another; {@link #MAIN} attaches to the discipline, which takes the GIL
 * (it is placed in the main space); {@link #HOUSEKEEPING} does the states' preparation and the
 * arbiters' checks, under {@link Housekeeping#LOCK} and holding the GIL, so that the main
 * heap (pymalloc, not thread safe) is touched by one GIL holder at a time, as the
 * discipline's own rule says.
 */
final class SplitBrainRig {
    static final ThreadContext PARALLEL = new ThreadContext(8, "parallel actor", Placement.WORKER);
    static final ThreadContext MAIN = new ThreadContext(9, "main actor", Placement.MAIN);
    static final ThreadContext HOUSEKEEPING = new ThreadContext(10, "split-brain housekeeping", Placement.MAIN);
    /** A second thread serving a connection of its own, for races between two parallel contexts. */
    static final ThreadContext PARALLEL_SECOND = new ThreadContext(11, "second parallel actor", Placement.WORKER);

    final PxRuntime runtime;
    final Heap heap;
    final SyncDiscipline sync;

    /** @param faithful {@code guard: faithful} (PyParallel's own guard) instead of the complete one */
    SplitBrainRig(boolean faithful) {
        ComponentRegistry registry = ComponentRegistry.load();
        ConfigurationDeclaration d = registry.configuration("split-brain");
        if (faithful) {
            d = new ConfigurationDeclaration("split-brain-faithful", d.description(), d.version(), d.sync(),
                    Map.of("guard", "faithful"), d.spaces(), d.placements(), d.interpreterWorkNanos(), d.unsafe());
        }
        runtime = PxRuntime.start(registry.assemble(d));
        heap = runtime.heap();
        sync = runtime.sync();
        runtime.onMain(m -> null); // the main thread bootstraps the heap (types, None, builtins)
        sync.beginConnection(PARALLEL);
        sync.beginConnection(PARALLEL_SECOND);
    }

    /** Runs {@code body} as housekeeping: under the lock, holding the GIL. */
    <T> T housekeeping(java.util.function.Supplier<T> body) {
        synchronized (Housekeeping.LOCK) {
            sync.attach(HOUSEKEEPING);
            try {
                return body.get();
            } finally {
                sync.detach(HOUSEKEEPING);
            }
        }
    }

    /** Runs {@code body} on the main actor's context, holding the GIL. */
    void asMain(Runnable body) {
        sync.attach(MAIN);
        try {
            body.run();
        } finally {
            sync.detach(MAIN);
        }
    }
}
