package org.pxlab.experiments.workload;

import java.util.List;
import org.pxlab.runtime.exec.Definitions;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.serve.WrongAnswer;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * The program of CPython issue gh-123619 ("Instance method performance issue with free
 * threading (3.13rc1)"): every thread calls one bound method, {@code client.get}, of one
 * module-global instance, made once on the main thread and handed to each thread. On
 * 3.13.0rc1t the method object and the instance are neither immortal nor deferred, so every
 * call's {@code LOAD_FAST runner} (+1 method), the bound-method call (+1 self, +1 function,
 * -1 method) and the frame's release (-1 self) write the counts of two objects every thread
 * shares; the function and its code were immortal once a thread had started (gh-117783).
 * Reported: 500,000 calls took 43.7 ms unthreaded and 3.15-3.35 s per thread on 32 threads (32
 * cores), about 74x; the same loop over the plain function {@code get} took 38.1 ms and 84-88
 * ms (2.2x). A request here is one iteration of {@code bench_run}'s loop, {@code runner(i)}
 * with {@code i} the request's number; {@code runner} is a module global (a
 * {@code LOAD_GLOBAL} where the program has a {@code LOAD_FAST} of an argument: both push +1 on
 * the same object).
 *
 * <pre>
 * class Cache:
 *     def get(self, i):
 *         return i
 *
 * def get(i):
 *     return i
 *
 * client = Cache()
 * runner = client.get           # runner=method (the default); runner = get with runner=function
 *
 * def handler(request):
 *     return runner(request)
 * </pre>
 *
 * Options: {@code runner} ({@code method}, the default, or {@code function}: the two halves).
 */
public final class SharedMethodWorkload implements Workload {
    @Override
    public String name() {
        return "shared-method";
    }

    @Override
    public String description() {
        return "gh-123619: every request calls one bound method of one module-global instance (or, runner=function, a plain function)";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        boolean method = parameters.choice("runner", "method", List.of("method", "function")).equals("method");
        parameters.checkAllUsed();
        Definitions d = m.define();
        long module = d.module("shared_method_app");
        long cache = d.klass(module, "Cache", 0, List.of(), true);
        d.method(module, cache, "get", 2, 2, new Object[0], new String[0], b -> {
            b.loadFast(1);                          // return i
            b.returnValue();
        });
        d.function(module, "get", 1, 1, new Object[0], new String[0], b -> {
            b.loadFast(0);                          // return i
            b.returnValue();
        });
        Modules.run(m, module, new String[] {"Cache", "client", "get", "runner"}, b -> {
            b.loadGlobal(0, true);                  // client = Cache()
            b.call(0);
            b.storeGlobal(1);
            if (method) {
                b.loadGlobal(1, false);             // runner = client.get
                b.loadAttr(2);
            } else {
                b.loadGlobal(2, false);             // runner = get
            }
            b.storeGlobal(3);
        });
        long handler = d.function(module, "handler", 1, 1, new Object[0], new String[] {"runner"}, b -> {
            b.loadGlobal(0, true);                  // return runner(request)
            b.loadFast(0);
            b.call(1);
            b.returnValue();
        });
        return Service.of(handler, Service::numbered, (w, index, response) -> {
            Heap h = w.heap();
            if (h.kindOf(response) != TypeKind.INT || h.numbers().intValue(response) != index) {
                throw new WrongAnswer("shared-method", index, "expected the request's number, " + index);
            }
        });
    }
}
