package org.pxlab.gc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;

/**
 * A graph of simulated lists built from a random seed, with its reference answer computed in
 * Java: which lists the roots reach, which unreachable ones plain reference counting frees
 * when the builder drops its references, and so which are cyclic garbage that only a
 * collector can free. {@link #checkLive} compares every live list with the model.
 */
final class ListGraph {
    final long[] lists;
    final List<List<Integer>> edges = new ArrayList<>();
    final boolean[] root;
    final boolean[] reachable;
    /** Unreachable lists that reference counting alone cannot free. */
    final int cyclicGarbage;

    private final Heap heap;

    /**
     * Builds {@code n} lists with about {@code edgesPerList} random references each, keeps
     * the builder's reference to each root and drops the others.
     */
    ListGraph(Heap heap, ThreadContext t, long seed, int n, double edgesPerList, double rootShare) {
        this.heap = heap;
        Random random = new Random(seed);
        lists = new long[n];
        root = new boolean[n];
        for (int i = 0; i < n; i++) {
            lists[i] = heap.lists().newList(0, t);
            root[i] = random.nextDouble() < rootShare;
            edges.add(new ArrayList<>());
        }
        int m = (int) (n * edgesPerList);
        for (int e = 0; e < m; e++) {
            int from = random.nextInt(n), to = random.nextInt(n);
            heap.lists().append(lists[from], lists[to], t);
            edges.get(from).add(to);
        }
        reachable = reach();
        cyclicGarbage = n - count(reachable) - freedByRefcounting();
        for (int i = 0; i < n; i++) {
            if (!root[i]) heap.decref(lists[i], t);
        }
    }

    private boolean[] reach() {
        boolean[] seen = new boolean[lists.length];
        ArrayList<Integer> stack = new ArrayList<>();
        for (int i = 0; i < lists.length; i++) {
            if (root[i]) {
                seen[i] = true;
                stack.add(i);
            }
        }
        while (!stack.isEmpty()) {
            int i = stack.remove(stack.size() - 1);
            for (int j : edges.get(i)) {
                if (!seen[j]) {
                    seen[j] = true;
                    stack.add(j);
                }
            }
        }
        return seen;
    }

    /** Unreachable lists whose count reaches zero once the builder's references are gone and those freed let go. */
    private int freedByRefcounting() {
        int n = lists.length;
        int[] in = new int[n];
        for (int i = 0; i < n; i++) for (int j : edges.get(i)) in[j]++;
        boolean[] freed = new boolean[n];
        int count = 0;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = 0; i < n; i++) {
                if (reachable[i] || freed[i] || in[i] != 0) continue;
                freed[i] = true;
                count++;
                progress = true;
                for (int j : edges.get(i)) in[j]--;
            }
        }
        return count;
    }

    private static int count(boolean[] b) {
        int c = 0;
        for (boolean x : b) if (x) c++;
        return c;
    }

    /** Every reachable list has its count (references from live lists, plus the root's) and its items. */
    void checkLive() {
        int n = lists.length;
        int[] in = new int[n];
        for (int i = 0; i < n; i++) {
            if (reachable[i]) for (int j : edges.get(i)) in[j]++;
        }
        for (int i = 0; i < n; i++) {
            if (!reachable[i]) continue;
            assertThat(heap.referenceCount(lists[i])).as("count of live list %d", i).isEqualTo(in[i] + (root[i] ? 1 : 0));
            List<Integer> out = edges.get(i);
            assertThat(heap.lists().size(lists[i])).as("size of live list %d", i).isEqualTo(out.size());
            for (int k = 0; k < out.size(); k++) {
                assertThat(heap.lists().getItem(lists[i], k)).as("item %d of live list %d", k, i).isEqualTo(lists[out.get(k)]);
            }
        }
    }

    /** Drops the builder's references to the roots. */
    void dropRoots(ThreadContext t) {
        for (int i = 0; i < lists.length; i++) {
            if (root[i]) heap.decref(lists[i], t);
        }
    }
}
