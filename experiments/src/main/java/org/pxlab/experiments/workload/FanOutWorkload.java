package org.pxlab.experiments.workload;

import org.pxlab.runtime.exec.Definitions;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.serve.WrongAnswer;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * A request that fans out: it splits into N items, has each computed, and aggregates the
 * results. In PyParallel a request would submit each item as parallel work
 * ({@code async.submit_work}) and a callback would gather them; the harness has no
 * main-thread dispatch yet, so here the handler computes each item itself, in a call of a
 * shared helper function, and aggregates. The parallel-context version comes with the
 * {@code split-brain} configuration.
 *
 * <pre>
 * def work(item):
 *     acc = 0
 *     k = 0
 *     while k &lt; rounds:
 *         acc = acc + item * k
 *         k = k + 1
 *     return acc
 *
 * def handler(request):
 *     base = request % 100
 *     results = []
 *     i = 0
 *     while i &lt; items:
 *         results.append(work(base + i))
 *         i = i + 1
 *     total = 0
 *     for r in results:
 *         total = total + r
 *     return total
 * </pre>
 *
 * Options: {@code items} (N, default 8), {@code rounds} (the work per item, default 50).
 */
public final class FanOutWorkload implements Workload {
    @Override
    public String name() {
        return "fan-out";
    }

    @Override
    public String description() {
        return "a request splits into N items (default 8), computes each in a helper call and aggregates the results";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        int items = (int) parameters.longValue("items", 8, 1, 100_000);
        int rounds = (int) parameters.longValue("rounds", 50, 1, 1_000_000);
        parameters.checkAllUsed();
        Definitions d = m.define();
        long module = d.module("fan_out_app");
        // locals: item 0, acc 1, k 2
        d.function(module, "work", 1, 3, new Object[] {0L, (long) rounds, 1L}, new String[0], b -> {
            b.loadConst(0);                         // acc = 0
            b.storeFast(1);
            b.loadConst(0);                         // k = 0
            b.storeFast(2);
            while (true) {
                b.loadFast(2);                      // while k < rounds:
                b.loadConst(1);
                b.compareInt(Mutator.Compare.LT);
                if (!b.popTruth()) break;
                b.loadFast(1);                      //     acc = acc + item * k
                b.loadFast(0);
                b.loadFast(2);
                b.binaryMultiplyInt();
                b.binaryAddInt();
                b.storeFast(1);
                b.loadFast(2);                      //     k = k + 1
                b.loadConst(2);
                b.binaryAddInt();
                b.storeFast(2);
                b.jumpBackward();                     // JUMP_BACKWARD
            }
            b.loadFast(1);                          // return acc
            b.returnValue();
        });
        // locals: request 0, base 1, results 2, i 3, total 4, r 5
        long handler = d.function(module, "handler", 1, 6, new Object[] {100L, 0L, (long) items, 1L},
                new String[] {"append", "work"}, b -> {
                    b.loadFast(0);                  // base = request % 100
                    b.loadConst(0);
                    b.binaryOp(Mutator.BinaryOp.REMAINDER);
                    b.storeFast(1);
                    b.buildList(0);                 // results = []
                    b.storeFast(2);
                    b.loadConst(1);                 // i = 0
                    b.storeFast(3);
                    while (true) {
                        b.loadFast(3);              // while i < items:
                        b.loadConst(2);
                        b.compareInt(Mutator.Compare.LT);
                        if (!b.popTruth()) break;
                        b.loadFast(2);              //     results.append(work(base + i))
                        b.loadMethod(0);
                        b.loadGlobal(1, true);
                        b.loadFast(1);
                        b.loadFast(3);
                        b.binaryAddInt();
                        b.call(1);
                        b.call(1);
                        b.popTop();
                        b.loadFast(3);              //     i = i + 1
                        b.loadConst(3);
                        b.binaryAddInt();
                        b.storeFast(3);
                        b.jumpBackward();                     // JUMP_BACKWARD
                    }
                    b.loadConst(1);                 // total = 0
                    b.storeFast(4);
                    b.loadFast(2);                  // for r in results:
                    b.getIter();
                    while (b.forIter()) {
                        b.storeFast(5);
                        b.loadFast(4);              //     total = total + r
                        b.loadFast(5);
                        b.binaryAddInt();
                        b.storeFast(4);
                        b.jumpBackward();                     // JUMP_BACKWARD
                    }
                    b.loadFast(4);                  // return total
                    b.returnValue();
                });
        long perItem = (long) rounds * (rounds - 1) / 2;
        return Service.of(handler, Service::numbered, (w, index, response) -> {
            Heap h = w.heap();
            long base = index % 100;
            long expected = (items * base + (long) items * (items - 1) / 2) * perItem;
            if (h.kindOf(response) != TypeKind.INT || h.numbers().intValue(response) != expected) {
                throw new WrongAnswer("fan-out", index, "expected " + expected);
            }
        });
    }
}
