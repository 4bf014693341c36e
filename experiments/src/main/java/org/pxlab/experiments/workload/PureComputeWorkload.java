package org.pxlab.experiments.workload;

import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.serve.WrongAnswer;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * The harness's scaling ceiling: a request that shares nothing. A loop of int arithmetic on
 * locals and small constants, whose every value stays within the cached small ints
 * (-5..256), so that it allocates no object either; the only shared objects a request
 * touches are the handler itself and its code, once per call.
 *
 * <pre>
 * def handler(request):
 *     x = 0
 *     r = 0
 *     while r &lt; rounds:          # a small-int constant
 *         i = 0
 *         while i &lt; 100:
 *             x = x + i
 *             if x &gt; 150:
 *                 x = x - 151
 *             i = i + 1
 *         r = r + 1
 *     return x
 * </pre>
 *
 * Options: {@code rounds} (default 20, at most 250 so the counter stays a cached small int).
 */
public final class PureComputeWorkload implements Workload {
    @Override
    public String name() {
        return "pure-compute";
    }

    @Override
    public String description() {
        return "no shared objects: a loop of small-int arithmetic on locals (the harness's scaling ceiling)";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        int rounds = (int) parameters.longValue("rounds", 20, 1, 250);
        parameters.checkAllUsed();
        long module = m.define().module("pure_compute_app");
        // locals: request 0, x 1, r 2, i 3
        long handler = m.define().function(module, "handler", 1, 4, new Object[] {0L, (long) rounds, 100L, 150L, 151L, 1L},
                new String[0], b -> {
                    b.loadConst(0);                 // x = 0
                    b.storeFast(1);
                    b.loadConst(0);                 // r = 0
                    b.storeFast(2);
                    while (true) {
                        b.loadFast(2);              // while r < rounds:
                        b.loadConst(1);
                        b.compareInt(Mutator.Compare.LT);
                        if (!b.popTruth()) break;
                        b.loadConst(0);             //     i = 0
                        b.storeFast(3);
                        while (true) {
                            b.loadFast(3);          //     while i < 100:
                            b.loadConst(2);
                            b.compareInt(Mutator.Compare.LT);
                            if (!b.popTruth()) break;
                            b.loadFast(1);          //         x = x + i
                            b.loadFast(3);
                            b.binaryAddInt();
                            b.storeFast(1);
                            b.loadFast(1);          //         if x > 150:
                            b.loadConst(3);
                            b.compareInt(Mutator.Compare.GT);
                            if (b.popTruth()) {
                                b.loadFast(1);      //             x = x - 151
                                b.loadConst(4);
                                b.binarySubtractInt();
                                b.storeFast(1);
                            }
                            b.loadFast(3);          //         i = i + 1
                            b.loadConst(5);
                            b.binaryAddInt();
                            b.storeFast(3);
                            b.jumpBackward();                     // JUMP_BACKWARD
                        }
                        b.loadFast(2);              //     r = r + 1
                        b.loadConst(5);
                        b.binaryAddInt();
                        b.storeFast(2);
                        b.jumpBackward();                     // JUMP_BACKWARD
                    }
                    b.loadFast(1);                  // return x
                    b.returnValue();
                });
        long expected = answer(rounds);
        return Service.of(handler, Service::numbered, (w, index, response) -> {
            Heap h = w.heap();
            if (h.kindOf(response) != TypeKind.INT || h.numbers().intValue(response) != expected) {
                throw new WrongAnswer("pure-compute", index, "expected " + expected);
            }
        });
    }

    static long answer(int rounds) {
        long x = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < 100; i++) {
                x += i;
                if (x > 150) x -= 151;
            }
        }
        return x;
    }
}
