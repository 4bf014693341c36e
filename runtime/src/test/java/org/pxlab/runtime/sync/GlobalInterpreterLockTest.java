package org.pxlab.runtime.sync;

import static org.pxlab.runtime.testkit.TestThreads.JOIN_MILLIS;
import static org.pxlab.runtime.testkit.TestThreads.await;
import static org.pxlab.runtime.testkit.TestThreads.join;
import static org.pxlab.runtime.testkit.TestThreads.start;

import org.pxlab.runtime.testkit.NoOpSync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;
import org.pxlab.runtime.spi.SyncDiscipline;
import org.pxlab.runtime.spi.SyncSite;
import org.pxlab.runtime.spi.SyncStatistics;
import org.pxlab.runtime.testkit.NoOpSync;

/** The GIL as ceval_gil.c defines it: exclusion, drop requests, hand-offs, and its provider. */
class GlobalInterpreterLockTest {
    private static final int BIT = 1;

    /**
     * A runtime stand-in: {@code schedule} sets the bit, as the runtime does, and records each
     * target together with the GIL's holder at that moment ({@code schedule} runs under the
     * GIL's mutex, which is reentrant, so {@link GlobalInterpreterLock#holder} may be read).
     */
    private static final class TestSite implements SyncSite {
        record Request(ThreadContext target, ThreadContext holderThen) {}

        final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
        GlobalInterpreterLock gil;

        @Override
        public int breakerBit() {
            return BIT;
        }

        @Override
        public void schedule(ThreadContext thread) {
            requests.add(new Request(thread, gil == null ? null : gil.holder()));
            thread.signal(BIT);
        }
    }


    private static GlobalInterpreterLock gil(long intervalMicros, TestSite site) {
        GlobalInterpreterLock gil = new GlobalInterpreterLock(intervalMicros);
        site.gil = gil;
        gil.bind(StructLayout.empty(), site);
        return gil;
    }

    private static ThreadContext context(int id) {
        return new ThreadContext(id, "t" + id, Placement.MAIN);
    }





    // ---------------------------------------------------------------- mutual exclusion

    /** Plain on purpose: only the discipline stands between the two threads' updates. */
    private long shared;

    private static final int ITERATIONS = 100_000;
    private static final int SPIN = 8;

    /**
     * Two threads each attach, then do {@code shared = shared + 1} {@code ITERATIONS} times with
     * a pause between the read and the write, polling when their breaker bit is set.
     */
    private long countWithTwoThreads(SyncDiscipline discipline) throws Exception {
        shared = 0;
        CyclicBarrier startLine = new CyclicBarrier(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] threads = new Thread[2];
        for (int i = 0; i < 2; i++) {
            ThreadContext ctx = context(i);
            threads[i] = start("counter-" + i, failure, () -> {
                startLine.await();
                discipline.attach(ctx);
                for (int n = 0; n < ITERATIONS; n++) {
                    long v = shared;
                    for (int k = 0; k < SPIN; k++) Thread.onSpinWait();
                    shared = v + 1;
                    if ((ctx.evalBreaker() & BIT) != 0) discipline.poll(ctx);
                }
                discipline.detach(ctx);
            });
        }
        join(failure, threads);
        return shared;
    }

    @Test
    void twoThreadsUnderTheGilLoseNoUpdate() throws Exception {
        TestSite site = new TestSite();
        // A short interval makes the GIL change hands many times during the loops, so the
        // threads really do interleave (printed below).
        GlobalInterpreterLock gil = gil(100, site);
        long count = countWithTwoThreads(gil);
        SyncStatistics s = gil.statistics();
        System.out.printf("gil mutual exclusion: count %d of %d, %s, switches %d%n",
                count, 2L * ITERATIONS, s, gil.switchNumber());
        assertThat(count).isEqualTo(2L * ITERATIONS);
        assertThat(s.acquisitions()).isEqualTo(2 + s.handoffs());
        assertThat(gil.holder()).isNull();
    }

    /**
     * The negative control: the same loop without a lock loses updates, so the test above
     * can fail. Lost updates are not guaranteed on any one run (a thread may finish before
     * the other starts), so a few attempts are allowed; on two cores, with a pause between
     * read and write, the first attempt practically always loses thousands.
     */
    @Test
    void theSameLoopWithoutALockLosesUpdates() throws Exception {
        long lost = 0;
        int attempts = 0;
        while (lost == 0 && attempts < 10) {
            attempts++;
            long count = countWithTwoThreads(new NoOpSync(false));
            assertThat(count).isLessThanOrEqualTo(2L * ITERATIONS);
            lost = 2L * ITERATIONS - count;
        }
        System.out.printf("no lock: lost %d updates (attempt %d)%n", lost, attempts);
        assertThat(lost).as("updates lost without a lock in %d attempts", attempts).isPositive();
    }

    // ---------------------------------------------------------------- hand-off

    @Test
    void aWaiterGetsTheGilFromABusyHolderThroughADropRequest() throws Exception {
        TestSite site = new TestSite();
        GlobalInterpreterLock gil = gil(100, site);
        ThreadContext a = context(0);
        ThreadContext b = context(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch aHolds = new CountDownLatch(1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong aPolls = new AtomicLong();

        Thread ta = start("holder-A", failure, () -> {
            gil.attach(a);
            aHolds.countDown();
            // Runs "bytecode" forever, checking its eval breaker at every boundary.
            while (!stop.get()) {
                Thread.onSpinWait();
                if ((a.evalBreaker() & BIT) != 0) {
                    aPolls.incrementAndGet();
                    gil.poll(a);
                }
            }
            gil.detach(a);
        });
        assertThat(aHolds.await(JOIN_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(gil.holder()).isSameAs(a);

        AtomicReference<ThreadContext> holderSeenByB = new AtomicReference<>();
        AtomicLong bWaitNanos = new AtomicLong();
        Thread tb = start("waiter-B", failure, () -> {
            long t0 = System.nanoTime();
            gil.attach(b);
            bWaitNanos.set(System.nanoTime() - t0);
            holderSeenByB.set(gil.holder());
            stop.set(true); // A stops once it has the GIL back
            gil.detach(b);
        });
        join(failure, tb, ta);

        SyncStatistics s = gil.statistics();
        System.out.printf("hand-off: B waited %.3f ms, A polled %d times, %s%n",
                bWaitNanos.get() / 1e6, aPolls.get(), s);
        assertThat(holderSeenByB.get()).isSameAs(b);
        assertThat(s.handoffs()).isGreaterThanOrEqualTo(1);
        assertThat(s.contended()).isGreaterThanOrEqualTo(1);
        // Liveness, not performance: with a 100 µs interval B must not wait for seconds.
        assertThat(bWaitNanos.get()).isLessThan(TimeUnit.SECONDS.toNanos(2));
        assertThat(site.requests).isNotEmpty();
        assertThat(gil.holder()).isNull();
        assertThat(gil.dropRequested()).isFalse();
    }

    // ---------------------------------------------------------------- detach releases

    @Test
    void attachAfterDetachDoesNotWait() {
        TestSite site = new TestSite();
        GlobalInterpreterLock gil = gil(1_000_000, site);
        ThreadContext a = context(0);
        ThreadContext b = context(1);
        gil.attach(a);
        gil.detach(a);
        gil.attach(b);
        assertThat(gil.holder()).isSameAs(b);
        gil.detach(b);
        SyncStatistics s = gil.statistics();
        assertThat(s.acquisitions()).isEqualTo(2);
        assertThat(s.contended()).isZero();
        assertThat(s.handoffs()).isZero();
        assertThat(site.requests).isEmpty();
        assertThat(gil.switchNumber()).isEqualTo(2);
    }

    /**
     * B waits while A holds the GIL; A detaches without any request. B must be woken by the
     * detach itself (the signal on {@code cond}), not by its wait timing out: with a 1 s
     * interval a missing signal shows as a wait of a whole second, and a drop request.
     */
    @Test
    void detachWakesAWaiterWithoutADropRequest() throws Exception {
        TestSite site = new TestSite();
        GlobalInterpreterLock gil = gil(GlobalInterpreterLock.MAX_SWITCH_INTERVAL_MICROS, site);
        ThreadContext a = context(0);
        ThreadContext b = context(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        gil.attach(a);

        AtomicLong bWaitNanos = new AtomicLong();
        AtomicReference<ThreadContext> holderSeenByB = new AtomicReference<>();
        Thread tb = start("waiter-B", failure, () -> {
            long t0 = System.nanoTime();
            gil.attach(b);
            bWaitNanos.set(System.nanoTime() - t0);
            holderSeenByB.set(gil.holder());
            gil.detach(b);
        });
        await("B waits for the GIL", () -> tb.getState() == Thread.State.TIMED_WAITING
                && gil.statistics().contended() == 1);
        gil.detach(a);
        join(failure, tb);

        System.out.printf("detach wakes B after %.3f ms%n", bWaitNanos.get() / 1e6);
        assertThat(holderSeenByB.get()).isSameAs(b);
        assertThat(bWaitNanos.get()).as("B's wait (ns) must end before its 1 s interval runs out")
                .isLessThan(TimeUnit.MICROSECONDS.toNanos(GlobalInterpreterLock.MAX_SWITCH_INTERVAL_MICROS));
        assertThat(site.requests).as("drop requests").isEmpty();
        assertThat(gil.statistics().handoffs()).isZero();
        assertThat(a.evalBreaker() & BIT).isZero();
    }

    // ---------------------------------------------------------------- drop requests

    /**
     * A holds the GIL and ignores its breaker for a while; B and C wait. Every drop request
     * must go to the holder of the moment, through {@link SyncSite#schedule}, and set only
     * the holder's bit. Then A answers, and everyone gets a turn.
     */
    @Test
    void dropRequestsReachTheHolderOnly() throws Exception {
        TestSite site = new TestSite();
        GlobalInterpreterLock gil = gil(200, site);
        ThreadContext a = context(0);
        ThreadContext b = context(1);
        ThreadContext c = context(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        gil.attach(a);

        List<ThreadContext> ranAfterA = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread tb = start("waiter-B", failure, () -> {
            gil.attach(b);
            ranAfterA.add(gil.holder());
            gil.detach(b);
        });
        Thread tc = start("waiter-C", failure, () -> {
            gil.attach(c);
            ranAfterA.add(gil.holder());
            gil.detach(c);
        });
        await("several intervals have passed with A holding", () -> site.requests.size() >= 5);

        assertThat(site.requests).allSatisfy(r -> assertThat(r.target()).isSameAs(a));
        assertThat(a.evalBreaker() & BIT).isEqualTo(BIT);
        assertThat(b.evalBreaker() & BIT).isZero();
        assertThat(c.evalBreaker() & BIT).isZero();
        assertThat(gil.dropRequested()).isTrue();
        assertThat(gil.holder()).isSameAs(a);

        // A answers: it drops the GIL, waits until a requester has it, and queues up again.
        // It may get the GIL back before the other waiter has had its turn; then that waiter
        // asks in turn, so A keeps answering until both have run.
        gil.poll(a);
        assertThat(gil.holder()).isSameAs(a);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
        while (ranAfterA.size() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            if ((a.evalBreaker() & BIT) != 0) gil.poll(a);
        }
        gil.detach(a);
        join(failure, tb, tc);

        assertThat(ranAfterA).containsExactlyInAnyOrder(b, c);
        assertThat(site.requests).allSatisfy(r -> assertThat(r.target()).isSameAs(r.holderThen()));
        SyncStatistics s = gil.statistics();
        assertThat(s.handoffs()).isBetween(1L, 2L);
        assertThat(s.acquisitions()).isEqualTo(3 + s.handoffs());
        assertThat(gil.holder()).isNull();
        for (ThreadContext t : List.of(a, b, c)) assertThat(t.evalBreaker() & BIT).isZero();
    }

    /**
     * FORCE_SWITCHING: a holder that answers a drop request does not get the GIL back before
     * the requester has had it. Without the wait on {@code switch_cond}, the holder, still on
     * its core, usually re-takes the GIL before the woken waiter runs (the convoy effect), and
     * {@code poll} returns with B never having run. That failure is likely rather than
     * certain (B could win the race); with the wait the assertion holds on every run.
     */
    @Test
    void aForcedDropReturnsOnlyAfterTheRequesterHasHadTheGil() throws Exception {
        TestSite site = new TestSite();
        GlobalInterpreterLock gil = gil(100, site);
        ThreadContext a = context(0);
        ThreadContext b = context(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int round = 0; round < 20; round++) {
            gil.attach(a);
            AtomicBoolean bRan = new AtomicBoolean();
            Thread tb = start("waiter-B", failure, () -> {
                gil.attach(b);
                bRan.set(true);
                gil.detach(b);
            });
            await("B asks A to drop the GIL", () -> (a.evalBreaker() & BIT) != 0);
            long switches = gil.switchNumber();
            gil.poll(a);
            assertThat(bRan).as("B ran before A's poll returned (round %d)", round).isTrue();
            assertThat(gil.holder()).isSameAs(a);
            assertThat(gil.switchNumber()).isEqualTo(switches + 2); // A -> B -> A
            gil.detach(a);
            join(failure, tb);
        }
        assertThat(gil.statistics().handoffs()).isEqualTo(20);
    }

    /**
     * A waiter that leaves {@code take_gil} by an exception (here: the site fails) withdraws
     * its drop request; otherwise the holder's next {@code drop_gil} would wait forever for a
     * taker (3.12's gh-96387, for threads exiting there).
     */
    @Test
    void aWaiterThatFailsWithdrawsItsDropRequest() throws Exception {
        SyncSite failing = new SyncSite() {
            @Override public int breakerBit() { return BIT; }
            @Override public void schedule(ThreadContext thread) { throw new IllegalStateException("site failed"); }
        };
        GlobalInterpreterLock gil = new GlobalInterpreterLock(100);
        gil.bind(StructLayout.empty(), failing);
        ThreadContext a = context(0);
        ThreadContext b = context(1);
        gil.attach(a);
        AtomicReference<Throwable> bFailure = new AtomicReference<>();
        Thread tb = start("waiter-B", bFailure, () -> gil.attach(b));
        tb.join(JOIN_MILLIS);
        assertThat(bFailure.get()).isInstanceOf(IllegalStateException.class).hasMessage("site failed");
        assertThat(gil.dropRequested()).isFalse();

        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread ta = start("detach-A", failure, () -> gil.detach(a));
        join(failure, ta);
        assertThat(gil.holder()).isNull();
    }

    @Test
    void pollWithoutARequestClearsAStaleBitAndKeepsTheGil() {
        TestSite site = new TestSite();
        GlobalInterpreterLock gil = gil(5000, site);
        ThreadContext a = context(0);
        gil.attach(a);
        a.signal(BIT);
        gil.poll(a);
        assertThat(a.evalBreaker() & BIT).isZero();
        assertThat(gil.holder()).isSameAs(a);
        assertThat(gil.statistics().handoffs()).isZero();
        assertThat(gil.statistics().acquisitions()).isEqualTo(1);
        gil.detach(a);
    }

    // ---------------------------------------------------------------- misuse, shape, cost

    @Test
    void misuseIsRefused() {
        GlobalInterpreterLock unbound = new GlobalInterpreterLock();
        assertThatThrownBy(() -> unbound.attach(context(0))).isInstanceOf(IllegalStateException.class);

        GlobalInterpreterLock gil = gil(5000, new TestSite());
        ThreadContext a = context(0);
        assertThatThrownBy(() -> gil.detach(a)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not hold");
        gil.attach(a);
        assertThatThrownBy(() -> gil.attach(a)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already holds");
        assertThatThrownBy(() -> gil.detach(context(1))).isInstanceOf(IllegalStateException.class);
        assertThat(gil.holder()).isSameAs(a);
        gil.detach(a);

        assertThatThrownBy(() -> new GlobalInterpreterLock(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GlobalInterpreterLock(1_000_001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shapeOfTheDiscipline() {
        GlobalInterpreterLock gil = gil(5000, new TestSite());
        assertThat(gil.headerFields()).isEmpty();
        assertThat(gil.serializesMutators()).isTrue();
        assertThat(gil.switchIntervalMicros()).isEqualTo(5000);
        ThreadContext a = context(0);
        gil.attach(a);
        // Critical sections are empty under the GIL: they neither block nor release it.
        gil.lock(0x1000, a);
        gil.lockPair(0x1000, 0x2000, a);
        gil.unlockPair(0x1000, 0x2000, a);
        gil.unlock(0x1000, a);
        assertThat(gil.holder()).isSameAs(a);
        gil.detach(a);
        assertThat(gil.statistics()).isEqualTo(new SyncStatistics(1, 0, 0, 0));
    }

    @Test
    void uncontendedAttachDetachAndPollAllocateNothing() {
        GlobalInterpreterLock gil = gil(5000, new TestSite());
        ThreadContext a = context(0);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < 5; i++) attachPollDetach(gil, a, 100_000);
        long before = mx.getThreadAllocatedBytes(id);
        attachPollDetach(gil, a, 100_000);
        long allocated = mx.getThreadAllocatedBytes(id) - before;
        System.out.printf("uncontended attach/poll/detach x100000: %d bytes allocated%n", allocated);
        assertThat(allocated).isLessThan(1024);
    }

    private static void attachPollDetach(GlobalInterpreterLock gil, ThreadContext t, int n) {
        for (int i = 0; i < n; i++) {
            gil.attach(t);
            t.signal(BIT); // a stale bit: poll clears it and keeps the GIL
            gil.poll(t);
            gil.detach(t);
        }
    }

    // ---------------------------------------------------------------- provider

    private static Object create(Map<String, String> options) {
        return new GilProvider().create(new ComponentParameters("gil", options));
    }

    @Test
    void providerIsRegisteredAsSyncGil() {
        List<ComponentProvider> found = ServiceLoader.load(ComponentProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.kind() == ComponentKind.SYNC && p.name().equals("gil"))
                .toList();
        assertThat(found).hasSize(1);
        assertThat(found.getFirst()).isInstanceOf(GilProvider.class);
        assertThat(found.getFirst().description()).contains("ceval_gil.c");
        assertThat(ComponentKind.SYNC.type()).isAssignableFrom(GlobalInterpreterLock.class);
    }

    @Test
    void providerParsesTheSwitchInterval() {
        assertThat(((GlobalInterpreterLock) create(Map.of())).switchIntervalMicros()).isEqualTo(5000);
        assertThat(((GlobalInterpreterLock) create(Map.of("switch-interval-us", "100"))).switchIntervalMicros()).isEqualTo(100);
        assertThat(((GlobalInterpreterLock) create(Map.of("switch-interval-us", "1"))).switchIntervalMicros()).isEqualTo(1);
        assertThat(((GlobalInterpreterLock) create(Map.of("switch-interval-us", "1000000"))).switchIntervalMicros()).isEqualTo(1_000_000);
        assertThat(create(Map.of())).isNotSameAs(create(Map.of()));
    }

    @Test
    void providerRefusesAnIntervalOutOfRange() {
        for (String bad : List.of("0", "-5", "1000001", "5ms", "")) {
            assertThatThrownBy(() -> create(Map.of("switch-interval-us", bad)))
                    .as("switch-interval-us=%s", bad)
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                        assertThat(e.field()).isEqualTo("gil.switch-interval-us");
                        assertThat(e.value()).isEqualTo(bad);
                        assertThat(e.allowed()).contains("1 to 1000000");
                        assertThat(e.getMessage()).contains("gil.switch-interval-us", "1 to 1000000");
                    });
        }
    }

    @Test
    void providerRefusesUnknownOptions() {
        assertThatThrownBy(() -> create(Map.of("switch-interval-ms", "5")))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.field()).isEqualTo("gil.switch-interval-ms");
                    assertThat(e.allowed()).contains("switch-interval-us");
                });
        assertThatThrownBy(() -> create(Map.of("switch-interval-us", "100", "fair", "true")))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.field()).isEqualTo("gil.fair"));
    }
}
