package org.pxlab.experiments.workload;

import org.pxlab.runtime.exec.CodeBody;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.object.NativeFunction;

/** Running a module's top-level statements, as importing it does; importing C functions. */
final class Modules {
    private Modules() {}

    /**
     * {@code from native import name}: defines {@code name} in a C extension module called
     * {@code nativeModule} (created for this import) as a built-in function, and binds it in
     * {@code module}. Returns the function, borrowed.
     */
    static long importNative(Mutator m, long module, String nativeModule, String name, NativeFunction body) {
        long fn = m.define().nativeFunction(m.define().module(nativeModule), name, body);
        m.define().global(module, name, m.heap().newRef(fn, m.thread()));
        return fn;
    }

    /** A new {@code bytes} object holding the UTF-8 encoding of {@code text}. New reference. */
    static long bytes(Mutator m, String text) {
        long s = m.heap().strings().newStr(text, m.thread());
        long b = m.heap().strings().encode(s, m.thread());
        m.heap().decref(s, m.thread());
        return b;
    }

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
