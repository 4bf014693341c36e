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
import org.pxlab.runtime.testkit.ParkedWaiterCollection;
import org.pxlab.runtime.testkit.TestThreads;

/** The stop-the-world protocol with running mutators: who is waited for, who cannot attach, and that all resume. */
class StopTheWorldThreadsTest {

    /**
     * Two mutators, one running with a per-object lock held, one parked on that lock: a
     * collection frees only the garbage and both resume ({@link ParkedWaiterCollection}, which
     * the configurations' tests also run on the built-in {@code fine-grained}); one pause per
     * collection.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void collectionWithTwoMutatorsOneBlockedOnALockFreesOnlyGarbageAndBothResume() throws Exception {
        try (PxRuntime rt = StwRuntimes.start("thread-sharded")) {
            long collectionsBefore = ParkedWaiterCollection.run(rt);
            assertThat(StwRuntimes.collector(rt).pauses().getTotalCount()).isEqualTo(collectionsBefore + 1);
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
