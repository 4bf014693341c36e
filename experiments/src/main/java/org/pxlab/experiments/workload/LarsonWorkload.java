package org.pxlab.experiments.workload;

import java.util.Random;
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
 * After mimalloc-bench's {@code larson} (Larson and Krishnan's server simulation): a shared
 * list of slots holds blobs of random sizes; each request picks a few slots at random,
 * frees the blob in each (allocated by an earlier request, often on another worker, or at
 * set-up by the main thread) and allocates a replacement of a random size. Memory therefore
 * migrates between threads as a long-running server's does.
 *
 * <pre>
 * from _pxlab import blob
 *
 * slots = [...]                    # S blobs, sizes from min_size to max_size, made at set-up
 * async.protect(slots)
 *
 * def handler(request):
 *     seed = request % 2147483648
 *     total = 0
 *     i = 0
 *     while i &lt; frees:
 *         seed = (seed * 1103515245 + 12345) % 2147483648
 *         size = min_size + seed // S % (max_size - min_size + 1)
 *         slots[seed % S] = blob(size)     # the old blob is freed here
 *         total = total + size
 *         i = i + 1
 *     return total
 * </pre>
 *
 * Under {@code split-brain} a request runs in a parallel context, which may change a main
 * object only if it is protected: the set-up protects {@code slots} ({@code async.protect}, a
 * no-op elsewhere), so each store takes the GIL and the list's lock, copies the request's new
 * blob into the main heap and frees the old one there. Memory still migrates between
 * threads, but every allocation and free of a slot's blob is made by a thread holding the
 * GIL: that is the design's answer to this workload, and what it measures there.
 *
 * <p>The answer, the bytes allocated, is recomputed in Java. The heap does not return to its
 * first state: the slots' sizes change. Options: {@code slots} (S, default 5000, larson's
 * chunks per thread), {@code frees} (per request, default 4), {@code min-size} (default 8),
 * {@code max-size} (default 1000, larson's defaults), {@code seed} (default 4141).
 */
public final class LarsonWorkload implements Workload {
    @Override
    public String name() {
        return "larson";
    }

    @Override
    public String description() {
        return "mimalloc-bench larson: each request frees a few blobs in a shared list of slots and allocates replacements";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        int slotCount = (int) parameters.longValue("slots", 5000, 1, 10_000_000);
        int frees = (int) parameters.longValue("frees", 4, 1, 1_000_000);
        int minSize = (int) parameters.longValue("min-size", 8, 0, 1 << 20);
        int maxSize = (int) parameters.longValue("max-size", 1000, 0, 1 << 20);
        long seed = parameters.longValue("seed", 4141, Long.MIN_VALUE, Long.MAX_VALUE);
        parameters.checkAllUsed();
        if (maxSize < minSize) {
            throw new org.pxlab.runtime.config.ConfigurationException("larson.max-size", Integer.toString(maxSize),
                    "a size of at least min-size (" + minSize + ")");
        }
        int span = maxSize - minSize + 1;
        Heap h = m.heap();
        ThreadContext t = m.thread();
        Definitions d = m.define();
        long module = d.module("larson_app");
        Modules.importNative(m, module, "_pxlab", "blob", NativeModules::blob);
        Random r = new Random(seed);
        long slots = h.lists().newList(slotCount, t);
        for (int i = 0; i < slotCount; i++) h.lists().appendTake(slots, h.blobs().newBlob(minSize + r.nextInt(span), t), t);
        m.protect(slots); // async.protect(slots): split-brain's parallel requests may then replace its blobs
        d.global(module, "slots", slots);
        // locals: request 0, seed 1, total 2, i 3, size 4; consts: the generator's three, then 3..
        long handler = d.function(module, "handler", 1, 5,
                new Object[] {Lcg.MULTIPLIER, Lcg.INCREMENT, Lcg.MODULUS, 0L, (long) frees, (long) minSize, (long) slotCount,
                    (long) span, 1L},
                new String[] {"blob", "slots"}, b -> {
                    b.loadFast(0);                  // seed = request % 2147483648
                    b.loadConst(2);
                    b.binaryOp(Mutator.BinaryOp.REMAINDER);
                    b.storeFast(1);
                    b.loadConst(3);                 // total = 0
                    b.storeFast(2);
                    b.loadConst(3);                 // i = 0
                    b.storeFast(3);
                    while (true) {
                        b.loadFast(3);              // while i < frees:
                        b.loadConst(4);
                        b.compareInt(Mutator.Compare.LT);
                        if (!b.popTruth()) break;
                        Lcg.step(b, 1, 0);      //     seed = (seed * 1103515245 + 12345) % 2147483648
                        b.loadConst(5);             //     size = min_size + seed // S % span
                        b.loadFast(1);
                        b.loadConst(6);
                        b.binaryOp(Mutator.BinaryOp.FLOOR_DIVIDE);
                        b.loadConst(7);
                        b.binaryOp(Mutator.BinaryOp.REMAINDER);
                        b.binaryAddInt();
                        b.storeFast(4);
                        b.loadGlobal(0, true);      //     slots[seed % S] = blob(size)
                        b.loadFast(4);
                        b.call(1);
                        b.loadGlobal(1, false);
                        b.loadFast(1);
                        b.loadConst(6);
                        b.binaryOp(Mutator.BinaryOp.REMAINDER);
                        b.storeSubscr();
                        b.loadFast(2);              //     total = total + size
                        b.loadFast(4);
                        b.binaryAddInt();
                        b.storeFast(2);
                        b.loadFast(3);              //     i = i + 1
                        b.loadConst(8);
                        b.binaryAddInt();
                        b.storeFast(3);
                        b.jumpBackward();                     // JUMP_BACKWARD
                    }
                    b.loadFast(2);                  // return total
                    b.returnValue();
                });
        return Service.of(handler, Service::numbered, (w, index, response) -> {
            long s = Lcg.start(index), expected = 0;
            for (int i = 0; i < frees; i++) {
                s = Lcg.next(s);
                expected += minSize + (s / slotCount) % span;
            }
            Heap heap = w.heap();
            if (heap.kindOf(response) != TypeKind.INT || heap.numbers().intValue(response) != expected) {
                throw new WrongAnswer("larson", index, "expected " + expected + " bytes allocated");
            }
        });
    }

    /** Whether every slot of the service's {@code slots} list holds a blob of a size within bounds (tests, after a run). */
    public static boolean slotsWithin(Mutator m, Service service, int slotCount, long minSize, long maxSize) {
        Heap h = m.heap();
        long slots = h.dicts().getItem(h.functions().functionGlobals(service.handler()), h.strings().intern("slots", m.thread()));
        if (h.lists().size(slots) != slotCount) return false;
        for (long i = 0; i < slotCount; i++) {
            long b = h.lists().getItem(slots, i);
            if (h.kindOf(b) != TypeKind.BLOB || h.blobs().size(b) < minSize || h.blobs().size(b) > maxSize) return false;
        }
        return true;
    }
}
