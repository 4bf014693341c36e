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
 * The smallest request that touches shared objects the way every real request does: load
 * one module-global instance, read three of its attributes (two floats and a str, none of
 * them immortal) and call one module-global function. Nothing is shared by accident here:
 * this is the pattern behind gh-123619 (a method of a shared class at 32 threads, ~70x slower
 * per call on 3.13t) and the {@code dict.get} of one shared value that scaled 0.28x at 4
 * threads until the hot objects were made immortal.
 *
 * <pre>
 * class Settings:
 *     def __init__(self):
 *         self.rate = 1.25
 *         self.scale = 2.5
 *         self.label = "shared settings"
 *
 * settings = Settings()
 *
 * def combine(rate, scale, label):
 *     return rate + scale
 *
 * def handler(request):
 *     s = settings
 *     return combine(s.rate, s.scale, s.label)
 * </pre>
 */
public final class HotSharedObjectWorkload implements Workload {
    static final double RATE = 1.25, SCALE = 2.5;

    @Override
    public String name() {
        return "hot-shared-object";
    }

    @Override
    public String description() {
        return "every request reads three attributes of one module-global instance and calls one module-global function";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        parameters.checkAllUsed();
        Definitions d = m.define();
        long module = d.module("hot_app");
        long settings = d.klass(module, "Settings", 0, List.of(), true);
        d.method(module, settings, "__init__", 1, 1, new Object[] {RATE, SCALE, "shared settings", null},
                new String[] {"rate", "scale", "label"}, b -> {
                    for (int i = 0; i < 3; i++) {   // self.rate = 1.25; self.scale = 2.5; self.label = "..."
                        b.loadConst(i);
                        b.loadFast(0);
                        b.storeAttr(i);
                    }
                    b.loadConst(3);
                    b.returnValue();
                });
        Modules.run(m, module, new String[] {"Settings", "settings"}, b -> {
            b.loadGlobal(0, true);                  // settings = Settings()
            b.call(0);
            b.storeGlobal(1);
        });
        d.function(module, "combine", 3, 3, new Object[0], new String[0], b -> {
            b.loadFast(0);                          // return rate + scale
            b.loadFast(1);
            b.binaryAddFloat();
            b.returnValue();
        });
        long handler = d.function(module, "handler", 1, 2, new Object[0],
                new String[] {"settings", "combine", "rate", "scale", "label"}, b -> {
                    b.loadGlobal(0, false);         // s = settings
                    b.storeFast(1);
                    b.loadGlobal(1, true);          // combine(
                    for (int attr = 2; attr <= 4; attr++) {
                        b.loadFast(1);              //   s.rate, s.scale, s.label
                        b.loadAttr(attr);
                    }
                    b.call(3);                      // )
                    b.returnValue();
                });
        return Service.of(handler, Service::numbered, (w, index, response) -> {
            Heap heap = w.heap();
            if (heap.kindOf(response) != TypeKind.FLOAT || heap.numbers().floatValue(response) != RATE + SCALE) {
                throw new WrongAnswer("hot-shared-object", index, "expected " + (RATE + SCALE));
            }
        });
    }
}
