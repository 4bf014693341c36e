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
 * TechEmpower's JSON test: each request builds {@code {"message": "Hello, World!"}} and
 * serialises it to bytes through a shared, module-level encoder object and its methods.
 * Every request therefore touches the same shared objects: the encoder instance, its class,
 * its methods and their code, its separator strings, the module's globals and the code's
 * constants.
 *
 * <pre>
 * class Encoder:
 *     def __init__(self):
 *         self.sep = ", "
 *         self.colon = ": "
 *     def quote(self, s):
 *         return '"' + s + '"'
 *     def encode(self, obj):
 *         parts = []
 *         for key in obj:
 *             parts.append(self.quote(key) + self.colon + self.quote(obj[key]))
 *         return ("{" + self.sep.join(parts) + "}").encode()
 *
 * encoder = Encoder()
 *
 * def handler(request):
 *     return encoder.encode({"message": "Hello, World!"})
 * </pre>
 */
public final class JsonWorkload implements Workload {
    static final String EXPECTED = "{\"message\": \"Hello, World!\"}";

    @Override
    public String name() {
        return "json";
    }

    @Override
    public String description() {
        return "TechEmpower JSON: serialize {\"message\": \"Hello, World!\"} through a shared module-level encoder object";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        parameters.checkAllUsed();
        Definitions d = m.define();
        long module = d.module("json_app");
        long encoder = d.klass(module, "Encoder", 0, List.of(), true);
        d.method(module, encoder, "__init__", 1, 1, new Object[] {", ", ": ", null}, new String[] {"sep", "colon"}, b -> {
            b.loadConst(0);   // self.sep = ", "
            b.loadFast(0);
            b.storeAttr(0);
            b.loadConst(1);   // self.colon = ": "
            b.loadFast(0);
            b.storeAttr(1);
            b.loadConst(2);   // return None
            b.returnValue();
        });
        d.method(module, encoder, "quote", 2, 2, new Object[] {"\""}, new String[0], b -> {
            b.loadConst(0);   // '"' + s + '"'
            b.loadFast(1);
            b.binaryAddStr();
            b.loadConst(0);
            b.binaryAddStr();
            b.returnValue();
        });
        // locals: self 0, obj 1, parts 2, key 3
        d.method(module, encoder, "encode", 2, 4, new Object[] {"{", "}"},
                new String[] {"append", "quote", "colon", "sep", "join", "encode"}, b -> {
                    b.buildList(0);                 // parts = []
                    b.storeFast(2);
                    b.loadFast(1);                  // for key in obj:
                    b.getIter();
                    while (b.forIter()) {
                        b.storeFast(3);
                        b.loadFast(2);              // parts.append(
                        b.loadMethod(0);
                        b.loadFast(0);              //   self.quote(key)
                        b.loadMethod(1);
                        b.loadFast(3);
                        b.call(1);
                        b.loadFast(0);              //   + self.colon
                        b.loadAttr(2);
                        b.binaryAddStr();
                        b.loadFast(0);              //   + self.quote(obj[key])
                        b.loadMethod(1);
                        b.loadFast(1);
                        b.loadFast(3);
                        b.binarySubscr();
                        b.call(1);
                        b.binaryAddStr();
                        b.call(1);                  // )
                        b.popTop();
                        b.jumpBackward();                     // JUMP_BACKWARD
                    }
                    b.loadConst(0);                 // ("{" + self.sep.join(parts) + "}").encode()
                    b.loadFast(0);
                    b.loadAttr(3);
                    b.loadMethod(4);
                    b.loadFast(2);
                    b.call(1);
                    b.binaryAddStr();
                    b.loadConst(1);
                    b.binaryAddStr();
                    b.loadMethod(5);
                    b.call(0);
                    b.returnValue();
                });
        Modules.run(m, module, new String[] {"Encoder", "encoder"}, b -> {
            b.loadGlobal(0, true);                  // encoder = Encoder()
            b.call(0);
            b.storeGlobal(1);
        });
        long handler = d.function(module, "handler", 1, 1, new Object[] {"message", "Hello, World!"},
                new String[] {"encoder", "encode"}, b -> {
                    b.loadGlobal(0, false);         // encoder.encode(
                    b.loadMethod(1);
                    b.loadConst(0);                 //   {"message": "Hello, World!"}
                    b.loadConst(1);
                    b.buildMap(1);
                    b.call(1);                      // )
                    b.returnValue();
                });
        Heap h = m.heap();
        long expected = h.strings().encode(h.strings().newStr(EXPECTED, m.thread()), m.thread());
        d.global(module, "_expected", expected);
        return Service.of(handler, Service::numbered, (w, index, response) -> {
            Heap heap = w.heap();
            if (heap.kindOf(response) != TypeKind.BYTES || !heap.strings().equal(response, expected)) {
                throw new WrongAnswer("json", index, "expected b'" + EXPECTED + "', got "
                        + (heap.kindOf(response) == TypeKind.BYTES ? "b'" + heap.strings().toJava(response) + "'"
                        : heap.kindOf(response).name()));
            }
        });
    }
}
