package org.pxlab.experiments.workload;

import org.pxlab.runtime.exec.Definitions;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.serve.WrongAnswer;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * TechEmpower's plaintext test: the least a request can do. The handler returns a bytes
 * constant; the only shared objects it touches are itself, its code and that constant.
 *
 * <pre>
 * def handler(request):
 *     return b"Hello, World!"
 * </pre>
 *
 * 3.12 compiles the return to {@code RETURN_CONST}, whose traffic is {@code LOAD_CONST}'s
 * (+1 the constant) followed by {@code RETURN_VALUE}'s: the two operations here.
 */
public final class PlaintextWorkload implements Workload {
    static final String BODY = "Hello, World!";

    @Override
    public String name() {
        return "plaintext";
    }

    @Override
    public String description() {
        return "TechEmpower plaintext: return the bytes constant b\"Hello, World!\"";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        parameters.checkAllUsed();
        Heap h = m.heap();
        ThreadContext t = m.thread();
        Definitions d = m.define();
        long module = d.module("plaintext_app");
        long body = Modules.bytes(m, BODY);
        long handler = d.function(module, "handler", 1, 1, new Object[] {new Definitions.ObjectConstant(body)}, new String[0],
                b -> {
                    b.loadConst(0);                 // return b"Hello, World!"
                    b.returnValue();
                });
        h.decref(body, t); // the code's constants hold it
        long expected = Modules.bytes(m, BODY);
        d.global(module, "_expected", expected);
        return Service.of(handler, Service::numbered, (w, index, response) -> {
            Heap heap = w.heap();
            if (heap.kindOf(response) != TypeKind.BYTES || !heap.strings().equal(response, expected)) {
                throw new WrongAnswer("plaintext", index, "expected b'" + BODY + "'");
            }
        });
    }
}
