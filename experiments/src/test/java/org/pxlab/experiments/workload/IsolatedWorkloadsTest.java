package org.pxlab.experiments.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pxlab.experiments.footprint.Footprint;
import org.pxlab.gc.isolated.Isolated;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.serve.ServeResult;
import org.pxlab.runtime.serve.Server;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.RefCountSite;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * The isolated configurations with real workloads: while every workload serves on two workers,
 * no thread counts a reference to an object of a heap it does not act for (an audit of every
 * incref and decref), and every worker's copy of the shared state reaches only its own heap and
 * immortal objects; the seed workloads answer correctly with a copy per worker; and
 * {@code wiki-search} on {@code multiprocessing} takes N copies of its shared structure for N
 * workers, the footprint PyParallel's claim is about.
 */
class IsolatedWorkloadsTest {
    private static final ComponentRegistry REGISTRY = ComponentRegistry.load();
    private static final List<String> ISOLATED = List.of("subinterpreters", "multiprocessing", "actors");

    /** Every incref and decref checked against the heaps the counting thread may touch now. */
    static final class HeapAudit implements RefCountStrategy {
        private final RefCountStrategy delegate;
        volatile Heap heap;
        volatile Isolated isolated;
        final Set<String> violations = ConcurrentHashMap.newKeySet();

        HeapAudit(RefCountStrategy delegate) {
            this.delegate = delegate;
        }

        private void check(long object, ThreadContext thread) {
            Heap h = heap;
            if (h == null || delegate.isImmortal(object)) return;
            int space = h.spaceOf(object).index();
            if (!isolated.mayTouch(thread, space)) {
                violations.add(thread + " counted a " + h.types().typeName(h.typeOf(object)) + " of heap " + h.space(space).name()
                        + " while in heap " + h.space(thread.allocationSpace()).name());
            }
        }

        @Override public List<HeaderField> headerFields() { return delegate.headerFields(); }
        @Override public void bind(StructLayout header) { delegate.bind(header); }
        @Override public void initialize(long object, ThreadContext thread) { delegate.initialize(object, thread); }
        @Override public void incref(long object, ThreadContext thread) { check(object, thread); delegate.incref(object, thread); }
        @Override public boolean tryIncref(long object, ThreadContext thread) { check(object, thread); return delegate.tryIncref(object, thread); }
        @Override public boolean decref(long object, ThreadContext thread) { check(object, thread); return delegate.decref(object, thread); }
        @Override public long referenceCount(long object) { return delegate.referenceCount(object); }
        @Override public void makeImmortal(long object) { delegate.makeImmortal(object); }
        @Override public boolean isImmortal(long object) { return delegate.isImmortal(object); }
        @Override public boolean isThreadSafe() { return delegate.isThreadSafe(); }
        @Override public void bindSite(RefCountSite site) { delegate.bindSite(site); }
    }

    static Stream<Arguments> everyWorkloadOnEveryIsolatedConfiguration() {
        return ISOLATED.stream().flatMap(c -> Workloads.load().all().stream().map(w -> Arguments.of(w.name(), c)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("everyWorkloadOnEveryIsolatedConfiguration")
    void noReferenceCrossesHeaps(String name, String configuration) {
        HeapAudit[] audit = new HeapAudit[1];
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble(configuration), d -> audit[0] = new HeapAudit(d))) {
            audit[0].isolated = (Isolated) rt.sync();
            audit[0].heap = rt.heap();
            Service service = Server.setUp(rt, Workloads.load().named(name), AllWorkloadsTest.tiny(name));
            ServeResult r = Server.serve(rt, service, 2, 0, 200);
            assertThat(r.requests()).isEqualTo(200);
            assertThat(audit[0].violations).as("references counted across heaps").isEmpty();
            rt.runWorkers(2, Placement.WORKER, (m, w) -> {
                long copy = rt.sync().handlerFor(service.handler(), m.thread());
                assertThat(foreignReachable(rt.heap(), copy, m.thread().id()))
                        .as("objects of other heaps reachable from worker %d's copy", w).isEmpty();
            });
            assertThat(audit[0].violations).isEmpty();
        }
    }

    /** The objects reachable from {@code root} that are neither immortal nor in heap {@code space}. */
    static Set<Long> foreignReachable(Heap h, long root, int space) {
        Set<Long> seen = new HashSet<>(), foreign = new HashSet<>();
        ArrayDeque<Long> todo = new ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            long o = todo.poll();
            if (h.spaceOf(o).refcount().isImmortal(o) || !seen.add(o)) continue;
            if (h.spaceOf(o).index() != space) foreign.add(o);
            h.traverse(o, todo::add);
        }
        return foreign;
    }

    static Stream<Arguments> seedWorkloadsOnEveryIsolatedConfiguration() {
        return ISOLATED.stream().flatMap(c -> Stream.of("json", "wiki-search", "hot-shared-object").map(w -> Arguments.of(w, c)));
    }

    /** Verified answers from two workers, each serving from a copy of the shared state in its own heap. */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("seedWorkloadsOnEveryIsolatedConfiguration")
    void seedWorkloadsAnswerFromACopyPerWorker(String name, String configuration) {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble(configuration))) {
            Service service = Server.setUp(rt, Workloads.load().named(name), AllWorkloadsTest.tiny(name));
            long mainAfterSetUp = Footprint.of("set-up", rt).spaces().getFirst().statistics().inUse();
            ServeResult r = Server.serve(rt, service, 2, 0, 400);
            assertThat(r.perWorker()).containsExactly(200L, 200L);
            Footprint f = Footprint.of("served", rt);
            assertThat(f.spaces().getFirst().statistics().inUse()).as("main: requests and responses released").isEqualTo(mainAfterSetUp);
            for (int k = 1; k <= 2; k++) {
                assertThat(f.spaces().get(k).statistics().inUse()).as("worker %d's heap holds its copy", k).isPositive();
            }
            assertThat(f.spaces().get(3).statistics().inUse()).as("a third heap, with no worker, holds nothing").isZero();
        }
    }

    /**
     * {@code wiki-search} on {@code multiprocessing}: after serving on N workers, the worker heaps
     * hold N copies of the shared structure (what the main heap gained at set-up), each within
     * 10% of it, and the total is about N + 1 times it; split-brain's workers hold none.
     */
    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {1, 2, 4})
    void wikiSearchOnMultiprocessingTakesNCopiesOfTheSharedStructure(int workers) {
        Map<String, String> options = Map.of("titles", "20000");
        long shared;
        long workerHeaps;
        long total;
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("multiprocessing"))) {
            long bootstrap = Footprint.of("bootstrap", rt).spaces().getFirst().statistics().inUse();
            Service service = Server.setUp(rt, Workloads.load().named("wiki-search"), new ComponentParameters("wiki-search", options));
            shared = Footprint.of("set-up", rt).spaces().getFirst().statistics().inUse() - bootstrap;
            Server.serve(rt, service, workers, 0, 50L * workers);
            Footprint f = Footprint.of("served", rt);
            workerHeaps = 0;
            for (int k = 1; k <= workers; k++) {
                long copy = f.spaces().get(k).statistics().inUse();
                assertThat((double) copy).as("process %d's copy of %d shared bytes", k, shared).isBetween(0.9 * shared, 1.1 * shared);
                workerHeaps += copy;
            }
            total = f.total().inUse();
        }
        assertThat(shared).as("titles and offsets: 20,000 strs and ints at least").isGreaterThan(20_000L * 64);
        assertThat((double) workerHeaps).isBetween(0.9 * workers * shared, 1.1 * workers * shared);
        assertThat((double) total).as("main's and N copies").isBetween(0.9 * (workers + 1) * shared, 1.1 * (workers + 1) * shared + 1_000_000);
    }

    /**
     * A request's path on an isolated configuration (made on the main side, copied in, served by
     * the worker's copy, copied back, checked, released) allocates no Java object once warm, as
     * the harness promises: served on one worker, whose allocated-bytes counter is exact, in
     * batches of 300 until one allocates nothing (see {@link AllWorkloadsTest}).
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("seedWorkloadsOnEveryIsolatedConfiguration")
    void aRequestAllocatesNoJavaObjects(String name, String configuration) {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble(configuration))) {
            Service service = Server.setUp(rt, Workloads.load().named(name), AllWorkloadsTest.tiny(name));
            long[] least = {Long.MAX_VALUE};
            rt.runWorkers(1, Placement.WORKER, (m, w) -> {
                var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
                long thread = Thread.currentThread().threadId();
                m.enterModule(m.heap().types().builtinsModule(), 0);
                serveOnThisThread(m, service, 0, 300);
                for (int batch = 1; batch <= 60 && least[0] >= 1024; batch++) {
                    long before = mx.getThreadAllocatedBytes(thread);
                    serveOnThisThread(m, service, 300L * batch, 300);
                    least[0] = Math.min(least[0], mx.getThreadAllocatedBytes(thread) - before);
                }
                m.exitFrame();
            });
            assertThat(least[0]).as("Java bytes allocated by the cleanest batch of 300 requests").isLessThan(1024);
        }
    }

    /** The server's request path ({@code Server.answer}), step by step on the calling worker. */
    private static void serveOnThisThread(org.pxlab.runtime.exec.Mutator m, Service service, long first, int n) {
        var sync = m.runtime().sync();
        ThreadContext t = m.thread();
        for (long i = first; i < first + n; i++) {
            sync.beginRequest(t);
            try {
                long argument = sync.receive(service.request(m, i), t);
                long response = sync.reply(m.callFunction(sync.handlerFor(service.handler(), t), argument), t);
                service.verify(m, i, response);
                m.heap().decref(response, t);
                m.heap().decref(argument, t);
            } finally {
                sync.endRequest(t);
            }
        }
    }
}
