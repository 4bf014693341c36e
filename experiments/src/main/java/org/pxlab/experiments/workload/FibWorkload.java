package org.pxlab.experiments.workload;

import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.serve.WrongAnswer;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * Private work made of calls: the recursive {@code fib} of the nogil prototype's README
 * (colesbury/nogil, after Larry Hastings's Gilectomy test), whose figure is the free-threading
 * ideal: {@code fib(34)} on 20 threads, each doing the whole work, in 1.52 s against 1.50 s on
 * one (a 20-core Xeon). Unlike {@code pure-compute} (a loop in one frame) every step here is a
 * call: a {@code LOAD_GLOBAL} of the module-global function, a frame pushed and popped, an int
 * allocated for each result past 256. The only objects two threads share are the function and
 * its code, which 3.13t makes immortal and 3.14t defers; a request is one call of
 * {@code fib(n)}, as each thread's one task was.
 *
 * <pre>
 * def fib(n):
 *     if n &lt; 2: return 1
 *     return fib(n-1) + fib(n-2)
 *
 * def handler(request):
 *     return fib(n)             # n: the option, a small-int constant
 * </pre>
 *
 * Options: {@code n} (default 12, 1 to 25: fib(25) is 2.4e5 calls per request).
 */
public final class FibWorkload implements Workload {
    @Override
    public String name() {
        return "fib";
    }

    @Override
    public String description() {
        return "recursive fib(n), nogil's scaling example: private work made of calls, sharing only the function";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        int n = (int) parameters.longValue("n", 12, 1, 25);
        parameters.checkAllUsed();
        long module = m.define().module("fib_app");
        m.define().function(module, "fib", 1, 1, new Object[] {2L, 1L}, new String[] {"fib"}, b -> {
            b.loadFast(0);                          // if n < 2:
            b.loadConst(0);
            b.compareInt(Mutator.Compare.LT);
            if (b.popTruth()) {
                b.loadConst(1);                     //     return 1
                b.returnValue();
                return;
            }
            b.loadGlobal(0, true);                  // return fib(n-1)
            b.loadFast(0);
            b.loadConst(1);
            b.binarySubtractInt();
            b.call(1);
            b.loadGlobal(0, true);                  //        + fib(n-2)
            b.loadFast(0);
            b.loadConst(0);
            b.binarySubtractInt();
            b.call(1);
            b.binaryAddInt();
            b.returnValue();
        });
        long handler = m.define().function(module, "handler", 1, 1, new Object[] {(long) n}, new String[] {"fib"}, b -> {
            b.loadGlobal(0, true);                  // return fib(n)
            b.loadConst(0);
            b.call(1);
            b.returnValue();
        });
        long expected = answer(n);
        return Service.of(handler, Service::numbered, (w, index, response) -> {
            Heap h = w.heap();
            if (h.kindOf(response) != TypeKind.INT || h.numbers().intValue(response) != expected) {
                throw new WrongAnswer("fib", index, "expected fib(" + n + ") = " + expected);
            }
        });
    }

    /** fib(n) as the program defines it (fib(0) = fib(1) = 1), computed in Java for the check; fib(n) makes 2 fib(n) - 1 calls. */
    public static long answer(int n) {
        long a = 1, b = 1;
        for (int i = 2; i <= n; i++) {
            long c = a + b;
            a = b;
            b = c;
        }
        return b;
    }
}
