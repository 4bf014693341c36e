package org.pxlab.experiments.workload;

import org.pxlab.runtime.exec.CodeBody;
import org.pxlab.runtime.exec.Mutator;

/** Running a module's top-level statements, as importing it does. */
final class Modules {
    private Modules() {}

    /**
     * Runs {@code body} once as module-level code of {@code module} (a function with the
     * given names, called and discarded), for statements such as {@code encoder = Encoder()}.
     */
    static void run(Mutator m, long module, String[] names, CodeBody body) {
        long code = m.define().function(module, "<module>", 0, 0, new Object[] {null}, names, b -> {
            body.run(b);
            b.loadConst(0);
            b.returnValue();
        });
        m.enterModule(module, 0);
        m.heap().decref(m.callFunction(code), m.thread());
        m.exitFrame();
    }
}
