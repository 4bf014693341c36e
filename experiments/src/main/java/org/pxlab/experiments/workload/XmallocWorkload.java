package org.pxlab.experiments.workload;

import org.pxlab.runtime.exec.Definitions;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.NativeModules;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.serve.WrongAnswer;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * After mimalloc-bench's {@code xmalloc-test} (Lever and Boreham): producers allocate, other
 * threads free. Even requests produce blobs into a shared queue (a module-level list); odd
 * requests take the whole queue, leaving an empty one, and free what they took. With two
 * workers, worker 0 answers the even requests and worker 1 the odd ones, so every blob is
 * freed by the thread that did not allocate it.
 *
 * <pre>
 * from _pxlab import blob
 *
 * queue = []
 *
 * def handler(request):
 *     global queue
 *     if request % 2 == 0:                 # a producer
 *         n = 0
 *         while n &lt; batch and len(queue) &lt; capacity:
 *             b = blob(size)
 *             b[0] = 1                     # the producer's mark
 *             queue.append(b)
 *             n = n + 1
 *         return n
 *     taken = queue                        # a consumer
 *     queue = []
 *     return taken                         # freed, with its blobs, when the answer is released
 * </pre>
 *
 * A consumer swaps the queue out rather than popping from it: a pop after a length check
 * could find the queue emptied by another consumer in between (pxlab, like CPython, may
 * switch threads there), and pxlab has no {@code try}. Blobs a producer appends to a queue
 * already taken are freed with it. The consumer's answer is the list it took, checked blob
 * by blob (size and mark); its blobs are freed when the server releases the answer, on the
 * consumer's worker. The heap does not return to its first state (the queue may hold
 * blobs). Options: {@code batch} (blobs per producer, default 16), {@code capacity} (the
 * queue length a producer stops at, default 1024), {@code size} (bytes, default 64).
 *
 * <p><b>Not served under {@code split-brain}.</b> There a request runs in a parallel context,
 * which may change a main object only if the main thread protected it ({@code async.protect}).
 * A producer could append to a protected queue (each blob copied into the main heap), but a
 * consumer cannot take the queue: swapping it out of protected globals releases the list it
 * took, as main, while the consumer holds it through a reference that was never counted (the
 * list and its blobs are freed under it), and the empty list put in its place is a new,
 * unprotected main copy that no later producer may append to (only main protects). The one way
 * PyParallel offers is to take the queue on the main thread
 * ({@code async.call_from_main_thread_and_wait}), which copies every blob into the consumer's
 * context; written once for every configuration, that would put a hop to the main thread into
 * every consumer on the others too, and the workload would measure that hop, not producers'
 * blobs freed by consumers. {@code AllWorkloadsTest} skips the cell and says why.
 */
public final class XmallocWorkload implements Workload {
    @Override
    public String name() {
        return "xmalloc";
    }

    @Override
    public String description() {
        return "mimalloc-bench xmalloc-test: even requests produce blobs into a shared queue, odd ones take and free them";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        int batch = (int) parameters.longValue("batch", 16, 1, 1_000_000);
        int capacity = (int) parameters.longValue("capacity", 1024, 1, 100_000_000);
        int size = (int) parameters.longValue("size", 64, 1, 1 << 20);
        parameters.checkAllUsed();
        Heap h = m.heap();
        ThreadContext t = m.thread();
        Definitions d = m.define();
        long module = d.module("xmalloc_app");
        Modules.importNative(m, module, "_pxlab", "blob", NativeModules::blob);
        d.global(module, "queue", h.lists().newList(0, t));
        // locals: request 0, n 1, b 2, taken 3
        long handler = d.function(module, "handler", 1, 4,
                new Object[] {2L, 0L, (long) batch, (long) capacity, (long) size, 1L},
                new String[] {"queue", "len", "blob", "append"}, b -> {
                    b.loadFast(0);                  // if request % 2 == 0:
                    b.loadConst(0);
                    b.binaryOp(Mutator.BinaryOp.REMAINDER);
                    b.loadConst(1);
                    b.compareInt(Mutator.Compare.EQ);
                    if (b.popTruth()) {
                        b.loadConst(1);             //     n = 0
                        b.storeFast(1);
                        while (true) {
                            b.loadFast(1);          //     while n < batch
                            b.loadConst(2);
                            b.compareInt(Mutator.Compare.LT);
                            if (!b.popTruth()) break;
                            b.loadGlobal(1, true);  //           and len(queue) < capacity:
                            b.loadGlobal(0, false);
                            b.call(1);
                            b.loadConst(3);
                            b.compareInt(Mutator.Compare.LT);
                            if (!b.popTruth()) break;
                            b.loadGlobal(2, true);  //         b = blob(size)
                            b.loadConst(4);
                            b.call(1);
                            b.storeFast(2);
                            b.loadConst(5);         //         b[0] = 1
                            b.loadFast(2);
                            b.loadConst(1);
                            b.storeSubscr();
                            b.loadGlobal(0, false); //         queue.append(b)
                            b.loadMethod(3);
                            b.loadFast(2);
                            b.call(1);
                            b.popTop();
                            b.loadFast(1);          //         n = n + 1
                            b.loadConst(5);
                            b.binaryAddInt();
                            b.storeFast(1);
                            b.jumpBackward();                     // JUMP_BACKWARD
                        }
                        b.loadFast(1);              //     return n
                        b.returnValue();
                        return;
                    }
                    b.loadGlobal(0, false);         // taken = queue
                    b.storeFast(3);
                    b.buildList(0);                 // queue = []
                    b.storeGlobal(0);
                    b.loadFast(3);                  // return taken
                    b.returnValue();
                });
        long most = capacity + (long) batch * ThreadContext.MAX_THREADS;
        return Service.of(handler, Service::numbered, (w, index, response) -> {
            Heap heap = w.heap();
            if (index % 2 == 0) {
                if (heap.kindOf(response) != TypeKind.INT || heap.numbers().intValue(response) < 0
                        || heap.numbers().intValue(response) > batch) {
                    throw new WrongAnswer("xmalloc", index, "a producer makes 0 to " + batch + " blobs");
                }
                return;
            }
            if (heap.kindOf(response) != TypeKind.LIST || heap.lists().size(response) > most) {
                throw new WrongAnswer("xmalloc", index, "a consumer takes a list of at most " + most + " blobs");
            }
            for (long i = 0; i < heap.lists().size(response); i++) {
                long blob = heap.lists().getItem(response, i);
                if (heap.kindOf(blob) != TypeKind.BLOB || heap.blobs().size(blob) != size || Memory.getByte(heap.blobs().data(blob)) != 1) {
                    throw new WrongAnswer("xmalloc", index, "item " + i + " of the queue taken is not a marked blob of " + size + " bytes");
                }
            }
        });
    }

    /** The length of the service's queue now (tests, after a run). */
    public static long queueLength(Mutator m, Service service) {
        Heap h = m.heap();
        return h.lists().size(h.dicts().getItem(h.functions().functionGlobals(service.handler()),
                h.strings().intern("queue", m.thread())));
    }
}
