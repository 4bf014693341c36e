package org.pxlab.gc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.discipline.PythonVersion;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.spi.Collector;
import org.pxlab.runtime.spi.CollectorSite;
import org.pxlab.runtime.spi.CollectorStatistics;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;
import org.pxlab.runtime.sync.PerObjectLocks;
import org.pxlab.runtime.testkit.TestThreads;

/** The stop-the-world protocol with running mutators: who is waited for, who cannot attach, and that all resume. */
class StopTheWorldThreadsTest {

    /**
     * Two workers: one holds a per-object lock and keeps running, moving a live cycle out of
     * the root list into a Java local and back at every loop iteration; the other is parked on
     * that lock, so it counts as detached and is not waited for. A collection from the main
     * thread stops the running worker at its next backward jump (its critical section is
     * suspended, as CPython's detach does), frees exactly the garbage cycles (not the live
     * cycle the suspended worker holds only in its local), and both workers then finish.
     * Were a parked waiter waited for, the stop would never end (the timeout fails the test).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void collectionWithTwoMutatorsOneBlockedOnALockFreesOnlyGarbageAndBothResume() throws Exception {
        try (PxRuntime rt = StwRuntimes.start("thread-sharded")) {
            StopTheWorldCollector gc = StwRuntimes.collector(rt);
            PerObjectLocks locks = (PerObjectLocks) rt.sync();
            Heap heap = rt.heap();
            // root: [cycle head]; the cycle: c1 <-> c2; lock: a list both workers lock.
            long[] shared = rt.onMain(m -> {
                ThreadContext t = m.thread();
                long root = heap.lists().newList(0, t), c1 = heap.lists().newList(0, t), c2 = heap.lists().newList(0, t);
                heap.lists().append(c1, c2, t);
                heap.lists().append(c2, c1, t);
                heap.lists().append(root, c1, t);
                heap.decref(c1, t);
                heap.decref(c2, t);
                return new long[] {root, c1, c2, heap.lists().newList(0, t)};
            });
            long root = shared[0], c1 = shared[1], c2 = shared[2], lock = shared[3];
            int garbageCycles = rt.onMain(m -> {
                int n = 30;
                for (int i = 0; i < n; i++) {
                    long a = heap.lists().newList(0, m.thread()), b = heap.lists().newList(0, m.thread());
                    heap.lists().append(a, b, m.thread());
                    heap.lists().append(b, a, m.thread());
                    heap.lists().append(b, root, m.thread());
                    heap.decref(a, m.thread());
                    heap.decref(b, m.thread());
                }
                return n;
            });

            AtomicBoolean holding = new AtomicBoolean(), collected = new AtomicBoolean();
            AtomicBoolean holderDone = new AtomicBoolean(), waiterDone = new AtomicBoolean();
            AtomicReference<ThreadContext> waiterContext = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread workers = TestThreads.start("workers", failure, () -> rt.runWorkers(2, Placement.WORKER, (m, w) -> {
                ThreadContext t = m.thread();
                if (w == 0) {
                    locks.lock(lock, t);
                    holding.set(true);
                    while (!collected.get()) {
                        long cycle = heap.lists().pop(root, 0, t); // the live cycle now hangs on this local only
                        m.jumpBackward();                           // the safepoint: suspends here for the stop
                        heap.lists().appendTake(root, cycle, t);
                        Thread.onSpinWait();
                    }
                    locks.unlock(lock, t);
                    holderDone.set(true);
                } else {
                    waiterContext.set(t);
                    while (!holding.get()) Thread.onSpinWait();
                    locks.lock(lock, t); // parks: detached while asleep
                    m.jumpBackward();
                    locks.unlock(lock, t);
                    waiterDone.set(true);
                }
            }));
            TestThreads.await("the second worker parked on the lock, detached", () -> waiterContext.get() != null
                    && locks.hasParked(lock) && waiterContext.get().state() != ThreadContext.ATTACHED);

            long freed = rt.onMain(m -> gc.collect(2, m.thread()));
            collected.set(true);
            TestThreads.join(failure, workers);

            assertThat(freed).isEqualTo(2L * garbageCycles);
            assertThat(holderDone).isTrue();
            assertThat(waiterDone).isTrue();
            assertThat(gc.pauses().getTotalCount()).isEqualTo(1);
            rt.onMain(m -> {
                assertThat(heap.lists().size(root)).isEqualTo(1);
                assertThat(heap.lists().getItem(root, 0)).isEqualTo(c1);
                assertThat(heap.lists().getItem(c1, 0)).isEqualTo(c2);
                assertThat(heap.lists().getItem(c2, 0)).isEqualTo(c1);
                assertThat(heap.referenceCount(c1)).isEqualTo(2);
                assertThat(heap.referenceCount(c2)).isEqualTo(1);
                assertThat(locks.isLocked(lock)).isFalse();
                return null;
            });
        }
    }

    /**
     * While the world is stopped, a thread that starts waits to attach, SUSPENDED: the
     * worker's body does not run until the world restarts, then it does.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aThreadCannotAttachWhileTheWorldIsStopped() throws Exception {
        SiteKeeper keeper = new SiteKeeper();
        try (PxRuntime rt = StwRuntimes.start(SiteKeeper.declaration(), keeper.provider())) {
            assertThat(keeper.site).isNotNull();
            AtomicBoolean bodyRan = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            rt.onMain(m -> {
                keeper.site.stopTheWorld(m.thread());
                return null;
            });
            Thread starter = TestThreads.start("starter", failure, () -> rt.runWorkers(1, Placement.WORKER, (m, w) -> {
                bodyRan.set(true);
            }));
            TestThreads.await("the worker exists, suspended", () -> rt.threads().stream()
                    .anyMatch(c -> c.name().equals("worker-0") && c.state() == ThreadContext.SUSPENDED));
            TestThreads.await("the worker thread waits", () -> Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(th -> th.getName().equals("pxlab-worker-0") && th.getState() == Thread.State.WAITING));
            assertThat(bodyRan).as("the worker ran while the world was stopped").isFalse();
            rt.onMain(m -> {
                keeper.site.startTheWorld(m.thread());
                return null;
            });
            TestThreads.join(failure, starter);
            assertThat(bodyRan).isTrue();
        }
    }

    /** A collector that does nothing but keep the site the runtime binds it to, so a test can stop the world. */
    private static final class SiteKeeper implements Collector {
        volatile CollectorSite site;

        @Override public List<HeaderField> preHeaderFields() { return List.of(); }
        @Override public void bind(Heap heap, CollectorSite site) { this.site = site; }
        @Override public void track(long object, ThreadContext thread) { }
        @Override public void untrack(long object, ThreadContext thread) { }
        @Override public void poll(ThreadContext thread) { thread.clear(site.breakerBit()); }
        @Override public long collect(int generation, ThreadContext thread) { return 0; }
        @Override public CollectorStatistics statistics() { return new CollectorStatistics(0, 0, 0, 0, 0); }

        ComponentProvider provider() {
            SiteKeeper keeper = this;
            return new ComponentProvider() {
                @Override public ComponentKind kind() { return ComponentKind.COLLECTOR; }
                @Override public String name() { return "test-site-keeper"; }
                @Override public String description() { return "test: keeps its collector site"; }
                @Override public Object create(ComponentParameters parameters) { return keeper; }
            };
        }

        static ConfigurationDeclaration declaration() {
            return ConfigurationDeclaration.named("test-site-keeper").describedAs("test: a collector that only stops the world")
                    .models(PythonVersion.V3_12).sync("per-object-locks")
                    .space("main", s -> s.allocator("thread-sharded").refcount("interlocked").collector("test-site-keeper"))
                    .place(Placement.ANY, "main").build();
        }
    }
}
