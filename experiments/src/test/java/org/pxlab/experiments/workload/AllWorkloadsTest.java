package org.pxlab.experiments.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pxlab.configurations.FineGrainedConfiguration;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationProvider;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.serve.Server;
import org.pxlab.runtime.serve.ServeResult;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * Every registered workload serves verified requests on every built-in configuration with one
 * and two workers, at tiny sizes (an integration test, not a measurement). Those that keep no
 * state between requests leave the main heap as they found it, after a warm-up; those that do
 * are checked for the end state they promise. Under {@code split-brain} every request runs in a
 * parallel context, and the context arenas are back to nothing after every request's rollback.
 */
class AllWorkloadsTest {
    private static final ComponentRegistry REGISTRY = ComponentRegistry.load();
    private static final int WARM = 50, REQUESTS = 600;

    /** Tiny options for every registered workload: a workload missing here fails {@link #everyWorkloadHasTinyOptions}. */
    static final Map<String, Map<String, String>> TINY = Map.ofEntries(
            Map.entry("json", Map.of()),
            Map.entry("wiki-search", Map.of("titles", "3000")),
            Map.entry("hot-shared-object", Map.of()),
            Map.entry("plaintext", Map.of()),
            Map.entry("db", Map.of("rows", "1000")),
            Map.entry("queries", Map.of("rows", "1000", "queries", "5")),
            Map.entry("fortunes", Map.of()),
            Map.entry("updates", Map.of("rows", "1000", "queries", "5")),
            Map.entry("fan-out", Map.of("items", "4", "rounds", "8")),
            Map.entry("shared-counter", Map.of()),
            Map.entry("larson", Map.of("slots", "100", "frees", "3", "min-size", "8", "max-size", "300")),
            Map.entry("xmalloc", Map.of("batch", "4", "capacity", "64", "size", "48")),
            Map.entry("cache-scratch", Map.of("repetitions", "4")),
            Map.entry("cache-thrash", Map.of("objects", "2", "repetitions", "4")),
            Map.entry("alloc-test", Map.of("count", "16")),
            Map.entry("pure-compute", Map.of("rounds", "2")),
            Map.entry("fib", Map.of("n", "6")),
            Map.entry("shared-method", Map.of()),
            Map.entry("lock-locked", Map.of()));

    /** Workloads whose requests leave state behind on purpose, so the heap is not as they found it. */
    static final Set<String> STATEFUL = Set.of("shared-counter", "updates", "larson", "xmalloc");

    /** The configurations that ship with pxlab (the {@code configurations} module), not the CLI tests' fixtures. */
    static final List<String> BUILT_IN = ServiceLoader.load(ConfigurationProvider.class).stream()
            .filter(p -> p.type().getPackageName().equals("org.pxlab.configurations"))
            .map(p -> p.get().declaration().name()).sorted().toList();

    /**
     * Cells that cannot be served without changing what the workload measures, each with the
     * reason (the workload's class comment says more); the test skips them by name.
     */
    static final Map<String, String> NOT_EXPRESSIBLE = Map.of(
            "xmalloc on split-brain", "a parallel consumer cannot take the queue: swapped out of protected globals, the"
                    + " list it took is released as main while it holds it uncounted, and the empty queue put in its place is"
                    + " an unprotected main copy no producer may append to; taking it on main instead (callIntoMain), the same"
                    + " code everywhere, would add a hop to the main thread to every consumer on every configuration");

    static void assumeExpressible(String workload, String configuration) {
        String reason = NOT_EXPRESSIBLE.get(workload + " on " + configuration);
        Assumptions.assumeTrue(reason == null, () -> workload + " on " + configuration + " is not served: " + reason);
    }

    static ComponentParameters tiny(String workload) {
        return new ComponentParameters(workload, TINY.getOrDefault(workload, Map.of()));
    }

    static Stream<Arguments> everyWorkloadOnEveryConfigurationWithOneAndTwoWorkers() {
        return BUILT_IN.stream().flatMap(c -> Workloads.load().all().stream()
                .flatMap(w -> Stream.of(Arguments.of(w.name(), c, 1), Arguments.of(w.name(), c, 2))));
    }

    @Test
    void everyWorkloadHasTinyOptions() {
        assertThat(Workloads.load().all()).extracting(Workload::name).containsExactlyInAnyOrderElementsOf(TINY.keySet());
        assertThat(TINY.keySet()).containsAll(STATEFUL);
    }

    @Test
    void theBuiltInConfigurationsAreAllServed() {
        assertThat(BUILT_IN).containsExactlyInAnyOrder("gil", "split-brain", "fine-grained", "fine-grained-global",
                "free-threaded-3.13", "free-threaded", "subinterpreters", "multiprocessing", "actors");
        for (String cell : NOT_EXPRESSIBLE.keySet()) {
            String[] parts = cell.split(" on ");
            assertThat(TINY).as(cell).containsKey(parts[0]);
            assertThat(BUILT_IN).as(cell).contains(parts[1]);
        }
    }

    /**
     * On the configurations whose collector stops the world, blocks an optimistic reader might
     * still see are freed late ({@code _PyMem_FreeDelayed}) and biased counts wait in merge
     * queues; a collection before each reading of the heap settles both, as in
     * {@link FineGrainedWorkloadsTest}. Under {@code gil} and {@code split-brain} every
     * release is immediate, and no collection hides a leak.
     */
    @ParameterizedTest(name = "{0} on {1} with {2} worker(s)")
    @MethodSource("everyWorkloadOnEveryConfigurationWithOneAndTwoWorkers")
    void servesVerifiedRequests(String name, String configuration, int workers) {
        assumeExpressible(name, configuration);
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble(configuration))) {
            boolean settle = rt.configuration().declaration().spaces().getFirst().collector().equals(FineGrainedConfiguration.COLLECTOR);
            Service service = Server.setUp(rt, Workloads.load().named(name), tiny(name));
            Server.serve(rt, service, workers, 0, WARM); // first-use allocations (pools, hashes, grown lists)
            if (settle) rt.onMain(m -> m.gcCollect(2));
            long before = mainInUse(rt);
            long[] heapsBefore = inUsePerSpace(rt);
            ServeResult r = Server.serve(rt, service, workers, WARM, REQUESTS);
            assertThat(r.requests()).isEqualTo(REQUESTS);
            assertThat(r.perWorker()).hasSize(workers).containsOnly((long) REQUESTS / workers);
            if (settle) rt.onMain(m -> m.gcCollect(2));
            if (!STATEFUL.contains(name)) {
                assertThat(mainInUse(rt))
                        .as("requests release everything they allocate").isEqualTo(before);
            }
            if (isolated(rt)) {
                // Each worker's heap holds its copy of the shared state, made at its first request; requests that keep
                // no state release in each heap everything they allocate there.
                if (!STATEFUL.contains(name)) assertThat(inUsePerSpace(rt)).as("bytes in use per heap").containsExactly(heapsBefore);
                return;
            }
            for (int i = 0; i < rt.heap().spaceCount(); i++) {
                // split-brain's context space: every request rolled back, every connection's heap rewound
                var space = rt.heap().space(i);
                if (!space.shared()) {
                    assertThat(space.allocator().statistics().inUse()).as("%s space in use after every rollback", space.name())
                            .isZero();
                }
            }
        }
    }

    /** Whether the configuration gives each worker a heap of its own ({@code subinterpreters}, {@code multiprocessing}). */
    static boolean isolated(PxRuntime rt) {
        return rt.configuration().declaration().sync().equals("isolated");
    }

    private static long[] inUsePerSpace(PxRuntime rt) {
        return rt.onMain(m -> java.util.stream.IntStream.range(0, m.heap().spaceCount())
                .mapToLong(i -> m.heap().space(i).allocator().statistics().inUse()).toArray());
    }

    private static long mainInUse(PxRuntime rt) {
        return rt.onMain(m -> m.heap().space(0).allocator().statistics().inUse());
    }

    static Stream<String> workloadNames() {
        return Workloads.load().all().stream().map(Workload::name);
    }

    /**
     * The harness's promise: a request (its argument, the handler, the check) allocates no
     * Java object, so the JVM's collector never runs for the simulation. Served on the main
     * thread, whose allocated-bytes counter is exact, in batches until one allocates nothing:
     * until the JIT has compiled them, some paths allocate (the C library's downcalls for
     * large blocks among them), so a workload fails only if no batch of many comes clean.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("workloadNames")
    void servingAllocatesNoJavaObjects(String name) {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("gil"))) {
            Service service = Server.setUp(rt, Workloads.load().named(name), tiny(name));
            long bytes = rt.onMain(m -> {
                var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
                long thread = Thread.currentThread().threadId();
                m.enterModule(m.heap().types().builtinsModule(), 0);
                answer(m, service, 0, 300);
                long least = Long.MAX_VALUE;
                for (int batch = 1; batch <= 60 && least >= 1024; batch++) {
                    long before = mx.getThreadAllocatedBytes(thread);
                    answer(m, service, 300L * batch, 300);
                    least = Math.min(least, mx.getThreadAllocatedBytes(thread) - before);
                }
                m.exitFrame();
                return least;
            });
            assertThat(bytes).as("Java bytes allocated by the cleanest batch of 300 requests of %s", name).isLessThan(1024);
        }
    }

    /** What the server does for each request, on the calling thread. */
    private static void answer(org.pxlab.runtime.exec.Mutator m, Service service, long first, int n) {
        for (long i = first; i < first + n; i++) {
            long argument = service.request(m, i);
            long response = m.callFunction(service.handler(), argument);
            service.verify(m, i, response);
            m.heap().decref(response, m.thread());
            m.heap().decref(argument, m.thread());
        }
    }

    /** No count is lost, on any configuration: the helper's lookup and store are one step under the GIL, the dict's critical section, or (split-brain) the protected dict's lock. */
    @ParameterizedTest(name = "shared-counter on {0} with {1} worker(s)")
    @MethodSource("everyConfigurationWithOneToThreeWorkers")
    void sharedCounterCountsEveryRequest(String configuration, int workers) {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble(configuration))) {
            Assumptions.assumeFalse(isolated(rt), () -> configuration + " shares no counter: each worker counts in its own heap's"
                    + " copy of the dict (the workload's answers are still verified, per worker, in servesVerifiedRequests)");
            Service service = Server.setUp(rt, Workloads.load().named("shared-counter"), tiny("shared-counter"));
            Server.serve(rt, service, workers, 0, WARM);
            Server.serve(rt, service, workers, WARM, REQUESTS);
            long total = rt.onMain(m -> SharedCounterWorkload.total(m, service));
            assertThat(total).isEqualTo(WARM + REQUESTS);
        }
    }

    static Stream<Arguments> everyConfigurationWithOneToThreeWorkers() {
        return BUILT_IN.stream().flatMap(c -> Stream.of(1, 2, 3).map(w -> Arguments.of(c, w)));
    }

    @Test
    void sharedCounterRefusesACountThatWentBackwards() {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("gil"))) {
            Service service = Server.setUp(rt, Workloads.load().named("shared-counter"), tiny("shared-counter"));
            Server.serve(rt, service, 1, 0, 8);
            // A second service, over a new dict, answers request 0's route with a count of 1; the first service saw 2
            // for that route on this worker, so to it the count went backwards.
            Service fresh = Server.setUp(rt, Workloads.load().named("shared-counter"), tiny("shared-counter"));
            Service replay = Service.of(fresh.handler(), fresh::request, service::verify);
            assertThatThrownBy(() -> Server.serve(rt, replay, 1, 0, 1)).hasMessageContaining("shared-counter")
                    .hasMessageContaining("expected a count above 2");
        }
    }

    @ParameterizedTest(name = "larson on {0}")
    @MethodSource("builtInConfigurations")
    void larsonKeepsEverySlotFilledWithinItsSizes(String configuration) {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble(configuration))) {
            Service service = Server.setUp(rt, Workloads.load().named("larson"), tiny("larson"));
            Server.serve(rt, service, 2, 0, REQUESTS);
            boolean within = rt.onMain(m -> LarsonWorkload.slotsWithin(m, service, 100, 8, 300));
            assertThat(within).isTrue();
        }
    }

    @ParameterizedTest(name = "xmalloc on {0}")
    @MethodSource("builtInConfigurations")
    void xmallocKeepsItsQueueBounded(String configuration) {
        assumeExpressible("xmalloc", configuration);
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble(configuration))) {
            Service service = Server.setUp(rt, Workloads.load().named("xmalloc"), tiny("xmalloc"));
            Server.serve(rt, service, 2, 0, REQUESTS);
            long queued = rt.onMain(m -> XmallocWorkload.queueLength(m, service));
            assertThat(queued).isLessThanOrEqualTo(64 + 4 * 2);
            // Ending on a producer leaves its blobs queued; a last consumer takes them all.
            Server.serve(rt, service, 1, REQUESTS + 1, 1);
            long left = rt.onMain(m -> XmallocWorkload.queueLength(m, service));
            assertThat(left).isZero();
        }
    }

    static Stream<String> builtInConfigurations() {
        return BUILT_IN.stream();
    }

    @Test
    void fortunesRendersTheTechEmpowerPage() {
        String page = FortunesWorkload.render();
        assertThat(page).startsWith(FortunesWorkload.HEAD + "<tr><td>11</td><td>&lt;script&gt;alert(&quot;This should not")
                .contains("<tr><td>0</td><td>Additional fortune added at request time.</td></tr>")
                .endsWith("<tr><td>12</td><td>\u30d5\u30ec\u30fc\u30e0\u30ef\u30fc\u30af\u306e\u30d9\u30f3\u30c1\u30de\u30fc\u30af"
                        + "</td></tr>" + FortunesWorkload.TAIL);
    }

    @Test
    void pureComputeStaysWithinTheSmallInts() {
        for (int rounds = 1; rounds <= 250; rounds++) assertThat(PureComputeWorkload.answer(rounds)).isBetween(0L, 150L);
    }

    @Test
    void allocTestSizesAreParetoUpToOneKiB() {
        int[] units = AllocTestWorkload.units(new java.util.Random(42));
        for (int u : units) assertThat(u).isBetween(2, 128);
        long small = java.util.Arrays.stream(units).filter(u -> u <= 4).count();
        assertThat(small).as("most sizes are small (<= 32 B)").isGreaterThan(units.length / 2);
        assertThat(java.util.Arrays.stream(units).max().getAsInt()).as("the tail reaches the cap").isEqualTo(128);
    }
}
