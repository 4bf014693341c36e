package org.pxlab.gc;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.discipline.PythonVersion;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.spi.ComponentProvider;

/**
 * Test-only configurations of the {@code stop-the-world} collector, assembled by the real
 * {@link ComponentRegistry} from the components on the test class path: an allocator,
 * {@code interlocked} refcounts, {@code per-object-locks} (reads optimistic over
 * {@code thread-sharded}, locked over the others) and {@code stop-the-world}.
 */
final class StwRuntimes {
    private StwRuntimes() {}

    /**
     * The declaration: {@code allocator} + interlocked + per-object-locks + stop-the-world with
     * the given threshold and count batch.
     */
    static ConfigurationDeclaration declaration(String allocator, long threshold, long countBatch) {
        return ConfigurationDeclaration.named("test-stw-" + allocator)
                .describedAs("test: " + allocator + " + interlocked + per-object-locks + stop-the-world")
                // The reference discipline modelled so far is 3.12's (the registry accepts no other yet).
                .models(PythonVersion.V3_12)
                .sync("per-object-locks")
                // Optimistic reads (per-object-locks' default) follow stale pointers into freed
                // objects, which is safe only over an allocator that keeps a freed block's header
                // (mimalloc's, thread-sharded's); over the pymalloc-like ones readers take the
                // lock, as fine-grained-global's do.
                .syncOption("reads", allocator.equals("thread-sharded") ? "optimistic" : "locked")
                // size-class-pool is not thread safe: these tests share it between threads only
                // with the world stopped or on one thread at a time.
                .unsafe(allocator.equals("size-class-pool"))
                .space("main", s -> s.allocator(allocator).refcount("interlocked").collector("stop-the-world")
                        .option("stop-the-world", StopTheWorldCollectorProvider.THRESHOLD, Long.toString(threshold))
                        .option("stop-the-world", StopTheWorldCollectorProvider.COUNT_BATCH, Long.toString(countBatch)))
                .place(Placement.ANY, "main")
                .build();
    }

    /** Starts a runtime of {@link #declaration}, with the providers on the class path plus {@code extra}. */
    static PxRuntime start(ConfigurationDeclaration declaration, ComponentProvider... extra) {
        List<ComponentProvider> providers = new ArrayList<>();
        ServiceLoader.load(ComponentProvider.class).forEach(providers::add);
        providers.addAll(List.of(extra));
        return PxRuntime.start(ComponentRegistry.of(providers, List.of()).assemble(declaration));
    }

    /** Starts {@code allocator} + interlocked + per-object-locks + stop-the-world, automatic collection off. */
    static PxRuntime start(String allocator) {
        return start(declaration(allocator, 0, StopTheWorldCollector.DEFAULT_COUNT_BATCH));
    }

    static StopTheWorldCollector collector(PxRuntime rt) {
        return (StopTheWorldCollector) rt.heap().space(0).collector();
    }
}
