package org.pxlab.experiments.workload;

import org.pxlab.runtime.exec.Definitions;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.NativeModules;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.serve.WrongAnswer;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * Every request updates one shared structure: a dict counting hits per route, the pattern of
 * request statistics and rate limiters. Each request counts its route and answers the
 * route's count as it then stands.
 *
 * <pre>
 * from _collections import _count_elements     # what Counter.update calls
 *
 * counts = {}
 * async.protect(counts)
 * routes = ["/", "/json", "/db", "/queries", ...]   # the first R
 *
 * def handler(request):
 *     route = routes[request % R]
 *     _count_elements(counts, [route])
 *     return counts[route]
 * </pre>
 *
 * The increment is {@code Counter.update}'s C helper, one call: it reads and writes the
 * dict with no eval-breaker check in between, so under a GIL no update is lost, as in
 * CPython with the GIL. On a configuration without a GIL, the helper holds the dict's (and
 * the list's) critical section, as CPython 3.13t's does. Under {@code split-brain} a request
 * runs in a parallel context, which may change a main object only if it is protected: the
 * set-up protects {@code counts} ({@code async.protect}, a no-op elsewhere), so the helper's
 * store takes the GIL and the dict's lock, and a new count is made in the main heap; the read
 * of {@code counts[route]} takes the lock too.
 *
 * <p>The check: each answer is a count above the last one the same worker saw for the same
 * route (counts only grow, and a request reads after its own increment). After a run, the
 * counts sum to the requests served, which a test reads through the handler's globals
 * ({@link #total}). Options: {@code routes} (R, default 4, at most 8).
 */
public final class SharedCounterWorkload implements Workload {
    static final String[] ROUTES = {"/", "/json", "/db", "/queries", "/fortunes", "/updates", "/plaintext", "/cached-queries"};
    /** Longs per thread in the last-seen table: the routes, padded to 128 bytes so threads never share a line. */
    private static final int STRIDE = 16;

    @Override
    public String name() {
        return "shared-counter";
    }

    @Override
    public String description() {
        return "every request counts its route in one shared dict (Counter.update's C helper) and answers the count";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        int routes = (int) parameters.longValue("routes", 4, 1, ROUTES.length);
        parameters.checkAllUsed();
        Heap h = m.heap();
        ThreadContext t = m.thread();
        Definitions d = m.define();
        long module = d.module("shared_counter_app");
        Modules.importNative(m, module, "_collections", "_count_elements", NativeModules::countElements);
        long counts = h.dicts().newDict(t);
        m.protect(counts); // async.protect(counts): split-brain's parallel requests may then count into it
        d.global(module, "counts", counts);
        long list = h.lists().newList(routes, t);
        for (int i = 0; i < routes; i++) h.lists().appendTake(list, h.strings().newStr(ROUTES[i], t), t);
        d.global(module, "routes", list);
        // locals: request 0, route 1
        long handler = d.function(module, "handler", 1, 2, new Object[] {(long) routes},
                new String[] {"routes", "_count_elements", "counts"}, b -> {
                    b.loadGlobal(0, false);         // route = routes[request % R]
                    b.loadFast(0);
                    b.loadConst(0);
                    b.binaryOp(Mutator.BinaryOp.REMAINDER);
                    b.binarySubscr();
                    b.storeFast(1);
                    b.loadGlobal(1, true);          // _count_elements(counts, [route])
                    b.loadGlobal(2, false);
                    b.loadFast(1);
                    b.buildList(1);
                    b.call(2);
                    b.popTop();
                    b.loadGlobal(2, false);         // return counts[route]
                    b.loadFast(1);
                    b.binarySubscr();
                    b.returnValue();
                });
        long[] lastSeen = new long[ThreadContext.MAX_THREADS * STRIDE];
        return Service.of(handler, Service::numbered, (w, index, response) -> {
            Heap heap = w.heap();
            int slot = w.thread().id() * STRIDE + (int) (index % routes);
            if (heap.kindOf(response) != TypeKind.INT || heap.numbers().intValue(response) <= lastSeen[slot]) {
                throw new WrongAnswer("shared-counter", index, "expected a count above " + lastSeen[slot]
                        + ", the last this worker saw for " + ROUTES[(int) (index % routes)]);
            }
            lastSeen[slot] = heap.numbers().intValue(response);
        });
    }

    /** The sum of the counts in the service's {@code counts} dict, read through the handler's globals (tests, after a run). */
    public static long total(Mutator m, Service service) {
        Heap h = m.heap();
        long counts = h.dicts().getItem(h.functions().functionGlobals(service.handler()), h.strings().intern("counts", m.thread()));
        long total = 0;
        for (long i = 0; i < h.dicts().entrySlots(counts); i++) {
            long v = h.dicts().entryValue(counts, i);
            if (v != 0) total += h.numbers().intValue(v);
        }
        return total;
    }
}
