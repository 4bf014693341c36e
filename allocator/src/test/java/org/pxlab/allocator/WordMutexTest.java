package org.pxlab.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.spi.SyncStatistics;

/** The PyMutex-style lock under {@code locked-global}: exclusion, parking, hand-off, no Java allocation. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a broken lock must fail the test, not hang the build
class WordMutexTest {
    private final ThreadContext t0 = new ThreadContext(0, "t0", Placement.MAIN);
    private final ThreadContext t1 = new ThreadContext(1, "t1", Placement.MAIN);
    private final ThreadContext t2 = new ThreadContext(2, "t2", Placement.MAIN);
    private WordMutex mutex;
    private long counter;

    @AfterEach
    void release() {
        if (mutex != null) mutex.release();
        if (counter != 0) SystemMalloc.free(counter);
    }

    @Test
    void takesSimulatedMemoryOnlyOnceUsed() {
        mutex = new WordMutex();
        assertThat(mutex.reservedBytes()).isZero();
        mutex.lock(t0);
        assertThat(mutex.isLocked()).isTrue();
        assertThat(mutex.reservedBytes()).isEqualTo(WordMutex.LINE);
        mutex.unlock(t0);
        assertThat(mutex.isLocked()).isFalse();
        assertThat(mutex.statistics()).isEqualTo(new SyncStatistics(1, 0, 0, 0));
    }

    @Test
    void unlockingAnUnlockedMutexIsRefused() {
        mutex = new WordMutex();
        mutex.lock(t0);
        mutex.unlock(t0);
        assertThatThrownBy(() -> mutex.unlock(t0)).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Two threads increment a plain (non-atomic) counter in simulated memory under the lock with
     * spinning off, so that they park on nearly every conflict: without exclusion, increments
     * would be lost.
     */
    @Test
    void excludesAndLosesNoWakeUp() throws InterruptedException {
        for (int spin : new int[] {0, WordMutex.DEFAULT_SPIN_COUNT}) {
            if (mutex != null) mutex.release();
            mutex = new WordMutex(spin);
            if (counter == 0) counter = SystemMalloc.calloc(8);
            Memory.putLong(counter, 0);
            final int perThread = 200_000;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] threads = new Thread[3];
            ThreadContext[] contexts = {t0, t1, t2};
            for (int i = 0; i < threads.length; i++) {
                ThreadContext ctx = contexts[i];
                threads[i] = new Thread(() -> {
                    try {
                        for (int k = 0; k < perThread; k++) {
                            mutex.lock(ctx);
                            Memory.putLong(counter, Memory.getLong(counter) + 1);
                            mutex.unlock(ctx);
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                threads[i].setDaemon(true);
                threads[i].start();
            }
            for (Thread t : threads) t.join(60_000);
            for (Thread t : threads) assertThat(t.isAlive()).as("a thread still waits for the lock (lost wake-up?)").isFalse();
            assertThat(failure.get()).isNull();
            assertThat(Memory.getLong(counter)).as("increments under the lock, spin count %d", spin).isEqualTo(3L * perThread);
            assertThat(mutex.isLocked()).isFalse();
            SyncStatistics s = mutex.statistics();
            assertThat(s.acquisitions()).isEqualTo(3L * perThread);
        }
    }

    /** A thread that finds the lock held waits (parked) until it is released. */
    @Test
    void aWaiterParksUntilTheHolderUnlocks() throws InterruptedException {
        mutex = new WordMutex(0);
        mutex.lock(t0);
        CountDownLatch acquired = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            mutex.lock(t1);
            acquired.countDown();
            mutex.unlock(t1);
        });
        waiter.setDaemon(true);
        waiter.start();
        awaitParked(waiter);
        assertThat(acquired.getCount()).as("the waiter got the lock while it was held").isEqualTo(1);
        assertThat(mutex.statistics().contended()).isEqualTo(1);
        mutex.unlock(t0);
        assertThat(acquired.await(10, TimeUnit.SECONDS)).isTrue();
        waiter.join();
    }

    /** PyMutex's fairness: after 1 ms parked, the waiter is handed the lock; the word never shows it free. */
    @Test
    void aWaiterParkedOverAMillisecondIsHandedTheLock() throws InterruptedException {
        mutex = new WordMutex(0);
        mutex.lock(t0);
        CountDownLatch acquired = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            mutex.lock(t1);
            acquired.countDown();
            try {
                letGo.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            mutex.unlock(t1);
        });
        waiter.setDaemon(true);
        waiter.start();
        awaitParked(waiter);
        Thread.sleep(5);
        mutex.unlock(t0);
        assertThat(mutex.isLocked()).as("handed off: the unlock left the word LOCKED for the waiter").isTrue();
        assertThat(acquired.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mutex.statistics().handoffs()).isEqualTo(1);
        letGo.countDown();
        waiter.join();
        assertThat(mutex.isLocked()).isFalse();
    }

    /** An interrupt does not break a thread out of the lock; its status survives. */
    @Test
    void anInterruptedWaiterKeepsWaitingAndKeepsItsStatus() throws InterruptedException {
        mutex = new WordMutex(0);
        mutex.lock(t0);
        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            mutex.lock(t1);
            interruptedAfter.set(Thread.currentThread().isInterrupted());
            mutex.unlock(t1);
        });
        waiter.setDaemon(true);
        waiter.start();
        awaitParked(waiter);
        waiter.interrupt();
        Thread.sleep(20);
        assertThat(interruptedAfter.get()).as("the waiter left the lock while it was held").isNull();
        mutex.unlock(t0);
        waiter.join(10_000);
        assertThat(interruptedAfter.get()).isTrue();
    }

    /**
     * Contended or not, lock and unlock allocate no Java object (the parking queue is
     * preallocated). Each thread yields while it holds the lock now and then, so the other finds
     * it held; the measured loops run until the lock has been contended a few hundred times.
     */
    @Test
    void contendedLockingAllocatesNoJavaObjects() throws InterruptedException {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mutex = new WordMutex(0);
        final int warmUp = 50_000;
        final long enough = 300;
        AtomicLong[] allocated = {new AtomicLong(), new AtomicLong()};
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong contendedBefore = new AtomicLong(-1);
        CountDownLatch warm = new CountDownLatch(2);
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[2];
        ThreadContext[] contexts = {t1, t2};
        for (int i = 0; i < 2; i++) {
            int me = i;
            threads[i] = new Thread(() -> {
                try {
                    for (int k = 0; k < warmUp; k++) cycle(contexts[me], k);
                    warm.countDown();
                    go.await();
                    long before = mx.getThreadAllocatedBytes(Thread.currentThread().threadId());
                    for (int k = 0; k < 10_000_000; k++) {
                        cycle(contexts[me], k);
                        if ((k & 1023) == 0 && k >= warmUp && mutex.contended() - contendedBefore.get() >= enough) break;
                    }
                    allocated[me].set(mx.getThreadAllocatedBytes(Thread.currentThread().threadId()) - before);
                } catch (Throwable t) {
                    failure.set(t);
                    warm.countDown();
                }
            });
            threads[i].setDaemon(true);
            threads[i].start();
        }
        assertThat(warm.await(60, TimeUnit.SECONDS)).as("warm-up finished").isTrue();
        assertThat(failure.get()).isNull();
        contendedBefore.set(mutex.contended());
        go.countDown();
        for (Thread t : threads) t.join(60_000);
        assertThat(failure.get()).isNull();
        assertThat(mutex.contended() - contendedBefore.get()).as("contended acquisitions in the measured rounds")
                .isGreaterThanOrEqualTo(enough);
        assertThat(allocated[0].get()).as("Java bytes allocated by thread 1").isLessThan(1024);
        assertThat(allocated[1].get()).as("Java bytes allocated by thread 2").isLessThan(1024);
    }

    private void cycle(ThreadContext ctx, int k) {
        mutex.lock(ctx);
        if ((k & 15) == 0) Thread.yield(); // let the other thread find the lock held
        mutex.unlock(ctx);
    }

    /** Waits until {@code t} sleeps in LockSupport.park (the word's HAS_PARKED set means it got that far). */
    private static void awaitParked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) throw new AssertionError("the waiter never parked: " + t.getState());
            Thread.sleep(1);
        }
    }
}
