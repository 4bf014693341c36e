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
 * After mimalloc-bench's {@code alloc-test} (node-dot-cpp's allocator test): many
 * short-lived allocations of Pareto-distributed sizes, freed in random order. Each request
 * allocates N blobs of sizes drawn from a table and then frees them, each time picking one
 * of those left at random.
 *
 * <pre>
 * from _pxlab import blob
 *
 * units = [...]            # 1024 sizes in 8-byte units, Pareto-distributed, 2 to 128 (16 B to 1 KiB)
 *
 * def handler(request):
 *     live = []
 *     seed = request % 2147483648
 *     total = 0
 *     i = 0
 *     while i &lt; count:
 *         seed = (seed * 1103515245 + 12345) % 2147483648
 *         size = units[seed % 1024] * 8
 *         live.append(blob(size))
 *         total = total + size
 *         i = i + 1
 *     while len(live) &gt; 0:                          # free in random order
 *         seed = (seed * 1103515245 + 12345) % 2147483648
 *         live.pop(seed % len(live))                  # the blob is freed as POP_TOP drops it
 *     return total
 * </pre>
 *
 * The sizes are drawn at set-up from a Pareto distribution (shape 1.16, the 80/20 rule;
 * scale 16 bytes) capped at 1 KiB and rounded up to 8 bytes; the table holds them in 8-byte
 * units so that every entry is a cached small int, and reading it writes no shared count.
 * The answer, the bytes allocated, is recomputed in Java. Options: {@code count} (N,
 * default 64), {@code seed} (default 42).
 */
public final class AllocTestWorkload implements Workload {
    static final int TABLE = 1024;
    static final double SHAPE = 1.16, SCALE = 16, MAX = 1024;

    @Override
    public String name() {
        return "alloc-test";
    }

    @Override
    public String description() {
        return "mimalloc-bench alloc-test: each request allocates blobs of Pareto-distributed sizes up to 1 KiB, frees them in random order";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        int count = (int) parameters.longValue("count", 64, 1, 1_000_000);
        long seed = parameters.longValue("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        parameters.checkAllUsed();
        Heap h = m.heap();
        ThreadContext t = m.thread();
        Definitions d = m.define();
        long module = d.module("alloc_test_app");
        Modules.importNative(m, module, "_pxlab", "blob", NativeModules::blob);
        int[] units = units(new Random(seed));
        long table = h.lists().newList(TABLE, t);
        for (int u : units) h.lists().appendTake(table, h.numbers().newInt(u, t), t);
        d.global(module, "units", table);
        // locals: request 0, live 1, seed 2, total 3, i 4, size 5
        long handler = d.function(module, "handler", 1, 6,
                new Object[] {Lcg.MULTIPLIER, Lcg.INCREMENT, Lcg.MODULUS, 0L, (long) count, (long) TABLE, 8L, 1L},
                new String[] {"units", "append", "blob", "len", "pop"}, b -> {
                    b.buildList(0);                 // live = []
                    b.storeFast(1);
                    b.loadFast(0);                  // seed = request % 2147483648
                    b.loadConst(2);
                    b.binaryOp(Mutator.BinaryOp.REMAINDER);
                    b.storeFast(2);
                    b.loadConst(3);                 // total = 0
                    b.storeFast(3);
                    b.loadConst(3);                 // i = 0
                    b.storeFast(4);
                    while (true) {
                        b.loadFast(4);              // while i < count:
                        b.loadConst(4);
                        b.compareInt(Mutator.Compare.LT);
                        if (!b.popTruth()) break;
                        Lcg.step(b, 2, 0);      //     seed = (seed * 1103515245 + 12345) % 2147483648
                        b.loadGlobal(0, false);     //     size = units[seed % 1024] * 8
                        b.loadFast(2);
                        b.loadConst(5);
                        b.binaryOp(Mutator.BinaryOp.REMAINDER);
                        b.binarySubscr();
                        b.loadConst(6);
                        b.binaryMultiplyInt();
                        b.storeFast(5);
                        b.loadFast(1);              //     live.append(blob(size))
                        b.loadMethod(1);
                        b.loadGlobal(2, true);
                        b.loadFast(5);
                        b.call(1);
                        b.call(1);
                        b.popTop();
                        b.loadFast(3);              //     total = total + size
                        b.loadFast(5);
                        b.binaryAddInt();
                        b.storeFast(3);
                        b.loadFast(4);              //     i = i + 1
                        b.loadConst(7);
                        b.binaryAddInt();
                        b.storeFast(4);
                        b.jumpBackward();                     // JUMP_BACKWARD
                    }
                    while (true) {
                        b.loadGlobal(3, true);      // while len(live) > 0:
                        b.loadFast(1);
                        b.call(1);
                        b.loadConst(3);
                        b.compareInt(Mutator.Compare.GT);
                        if (!b.popTruth()) break;
                        Lcg.step(b, 2, 0);      //     seed = (seed * 1103515245 + 12345) % 2147483648
                        b.loadFast(1);              //     live.pop(seed % len(live))
                        b.loadMethod(4);
                        b.loadFast(2);
                        b.loadGlobal(3, true);
                        b.loadFast(1);
                        b.call(1);
                        b.binaryOp(Mutator.BinaryOp.REMAINDER);
                        b.call(1);
                        b.popTop();
                        b.jumpBackward();                     // JUMP_BACKWARD
                    }
                    b.loadFast(3);                  // return total
                    b.returnValue();
                });
        return Service.of(handler, Service::numbered, (w, index, response) -> {
            long s = Lcg.start(index), expected = 0;
            for (int i = 0; i < count; i++) {
                s = Lcg.next(s);
                expected += 8L * units[(int) (s % TABLE)];
            }
            Heap heap = w.heap();
            if (heap.kindOf(response) != TypeKind.INT || heap.numbers().intValue(response) != expected) {
                throw new WrongAnswer("alloc-test", index, "expected " + expected + " bytes allocated");
            }
        });
    }

    /** The size table: Pareto(shape, scale) draws, capped at 1 KiB, in 8-byte units rounded up. */
    static int[] units(Random r) {
        int[] units = new int[TABLE];
        for (int i = 0; i < TABLE; i++) {
            double size = Math.min(MAX, SCALE / Math.pow(1 - r.nextDouble(), 1 / SHAPE));
            units[i] = (int) Math.ceil(size / 8);
        }
        return units;
    }
}
