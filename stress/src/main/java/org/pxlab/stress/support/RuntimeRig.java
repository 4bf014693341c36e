package org.pxlab.stress.support;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.Lists;
import org.pxlab.runtime.spi.Collector;

/**
 * One whole runtime per JVM and test, of a configuration named by the test ({@code fine-grained}
 * for {@code StopTheWorldCollectionRace}, {@code gil} for {@code CycleCollectionUnderGil}, both
 * fine-grained configurations for the list-append tests), assembled by the registry, whose
 * threads the actors borrow, and a few small container graphs that the collection tests reuse.
 *
 * <h2>Why the actors borrow the runtime's own threads</h2>
 * A stop-the-world collection stops the threads the runtime knows: those it made, which are in
 * its thread table. A context the runtime never made (as {@code SplitBrainRig}'s are) would
 * not be stopped, and the test would race a mutator the collector was never told about: a
 * wrong test, not a hazard of the collector. So the rig asks the runtime for three workers
 * ({@link PxRuntime#runWorkers}); each hands its {@link Mutator} to the rig, detaches, and then
 * waits for the rest of the run. The actors attach and detach those threads' contexts
 * themselves ({@link PxRuntime#attach}), as a runtime thread does around blocking work, so
 * each context is used by one Java thread at a time (actor1's, actor2's, or the housekeeping
 * lock holder's) and the world-stop protocol sees them attach, detach and reach eval-breaker
 * checks exactly as it sees its own threads. The workers never end: jcstress's forked VM
 * exits with stale threads still alive, as it says on its console.
 *
 * <h2>Why the graphs are reused rather than made per sample</h2>
 * A collection walks every block of the allocator, so its cost grows with the live heap.
 * jcstress keeps up to 10,240 states alive at once; a graph per state would make each sample's
 * collection walk tens of thousands of blocks. Instead the rig builds {@link #GRAPHS} graphs
 * once, each two lists ({@code left}, {@code right}) holding {@link #ITEMS} items between them
 * (each item an empty list: a tracked container, which the collector decides about), and the
 * states take them in turn. Only actor1 moves items, one state after another on one thread,
 * so a graph never has two movers; the states need no reset, because each move keeps the
 * invariant the arbiter checks (every item in exactly one list, held by it alone).
 */
public final class RuntimeRig {
    public static final int GRAPHS = 4;
    public static final int ITEMS = 4;

    public final PxRuntime runtime;
    public final Heap heap;
    public final Lists lists;
    public final Collector collector;
    /** actor1's runtime thread (in the collection tests, the one that moves items). */
    public final Mutator mover;
    /** actor2's runtime thread (in the collection tests, the one that collects). */
    public final Mutator collecting;
    /** The thread arbiters and constructors attach, under {@link Housekeeping#LOCK}. */
    public final Mutator housekeeping;
    /** Per graph: left, right, then its items as first made. */
    private final long[][] graphs = new long[GRAPHS][];
    private int nextGraph;

    /** @param configuration the registry name of the configuration to run */
    public RuntimeRig(String configuration) {
        ComponentRegistry registry = ComponentRegistry.load();
        runtime = PxRuntime.start(registry.assemble(registry.configuration(configuration)));
        heap = runtime.heap();
        lists = heap.lists();
        collector = heap.space(0).collector();
        @SuppressWarnings("unchecked")
        CompletableFuture<Mutator>[] lent = new CompletableFuture[3];
        for (int i = 0; i < lent.length; i++) lent[i] = new CompletableFuture<>();
        Thread lender = new Thread(() -> runtime.runWorkers(lent.length, Placement.WORKER, (m, w) -> {
            runtime.detach(m.thread()); // detached before it is lent: from here on the borrowers attach it
            lent[w].complete(m);
            waitForever();
        }), configuration + " rig");
        lender.setDaemon(true);
        lender.start();
        mover = lent[0].join();
        collecting = lent[1].join();
        housekeeping = lent[2].join();
        synchronized (Housekeeping.LOCK) {
            runtime.attach(housekeeping.thread());
            try {
                for (int g = 0; g < GRAPHS; g++) {
                    long[] graph = new long[2 + ITEMS];
                    graph[0] = lists.newList(0, housekeeping.thread());
                    graph[1] = lists.newList(0, housekeeping.thread());
                    for (int i = 0; i < ITEMS; i++) {
                        graph[2 + i] = lists.newList(0, housekeeping.thread());
                        lists.appendTake(graph[0], graph[2 + i], housekeeping.thread());
                    }
                    graphs[g] = graph;
                }
            } finally {
                runtime.detach(housekeeping.thread());
            }
        }
    }

    private static void waitForever() {
        CountDownLatch never = new CountDownLatch(1);
        while (true) {
            try {
                never.await();
            } catch (InterruptedException e) {
                // Keep the context lent: the borrowers are still using it.
            }
        }
    }

    /** The next graph, in turn ({@code left}, {@code right}, its items). Under the housekeeping lock. */
    public long[] nextGraph() {
        long[] graph = graphs[nextGraph];
        nextGraph = (nextGraph + 1) % GRAPHS;
        return graph;
    }

    /**
     * The collection tests' mutation, by an attached thread: moves one item from the fuller of
     * the graph's two lists to the other (list.pop, then list.append stealing the reference,
     * each in its list's critical section; in between, the item's one reference is the
     * caller's local, which no list accounts for), then makes one cyclic garbage list (a list
     * that contains itself: only a collection can free it).
     */
    public void moveItemAndMakeGarbage(long[] graph, ThreadContext t) {
        long left = graph[0], right = graph[1];
        boolean leftFuller = lists.size(left) >= lists.size(right);
        long from = leftFuller ? left : right, to = leftFuller ? right : left;
        long item = lists.pop(from, -1, t);
        lists.appendTake(to, item, t);
        long garbage = lists.newList(0, t);
        lists.append(garbage, garbage, t);
        heap.decref(garbage, t);
    }

    /**
     * The stop-the-world tests' actor1: attaches the mover's thread, moves an item and makes
     * garbage ({@link #moveItemAndMakeGarbage}), passes an eval-breaker check (JUMP_BACKWARD,
     * where a requested stop suspends it) and detaches.
     *
     * @return whether a collection finished while it worked
     */
    public boolean moveAsMover(long[] graph) {
        ThreadContext t = mover.thread();
        long collectionsBefore = collector.statistics().collections();
        runtime.attach(t);
        try {
            moveItemAndMakeGarbage(graph, t);
            mover.jumpBackward();
        } finally {
            runtime.detach(t);
        }
        return collector.statistics().collections() != collectionsBefore;
    }

    /**
     * The collection tests' actor2: attaches the collecting thread and runs gc.collect(2).
     *
     * @return whether the collection freed anything
     */
    public boolean collectAsCollector() {
        ThreadContext t = collecting.thread();
        runtime.attach(t);
        try {
            return collecting.gcCollect(2) > 0;
        } finally {
            runtime.detach(t);
        }
    }

    /** What {@link #check} reports. */
    public static final int INTACT = 0, ITEM_MISSING = 1, ITEM_FREED = 2, COUNT_WRONG = 3;

    /**
     * Checks a graph with no actor running (an arbiter, under the housekeeping lock): both lists
     * alive with one reference each (the rig's), every original item in exactly one of them, and
     * each item alive with one reference (its list's). Reads words only: a freed item is
     * recognised by its type word or count, never followed.
     */
    public int check(long[] graph) {
        long listType = heap.types().listType();
        for (int side = 0; side < 2; side++) {
            if (heap.typeOf(graph[side]) != listType) return ITEM_FREED;
            if (heap.referenceCount(graph[side]) != 1) return COUNT_WRONG;
        }
        long left = lists.size(graph[0]), right = lists.size(graph[1]);
        if (left + right != ITEMS) return ITEM_MISSING;
        for (int i = 0; i < ITEMS; i++) {
            long item = graph[2 + i];
            int found = 0;
            for (int side = 0; side < 2; side++) {
                long n = side == 0 ? left : right;
                for (long k = 0; k < n; k++) if (lists.getItem(graph[side], k) == item) found++;
            }
            if (found != 1) return ITEM_MISSING;
            if (heap.typeOf(item) != listType) return ITEM_FREED;
            if (heap.referenceCount(item) != 1) return COUNT_WRONG;
        }
        return INTACT;
    }
}
