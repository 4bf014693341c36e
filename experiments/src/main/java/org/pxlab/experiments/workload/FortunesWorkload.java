package org.pxlab.experiments.workload;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * TechEmpower's fortunes test: read every fortune from the shared table, add one that lives
 * only for the request, sort them by message, and render an HTML table with the messages
 * escaped, as bytes.
 *
 * <pre>
 * from _html import escape        # html.escape as a C function (markupsafe's is one)
 *
 * class Fortune:
 *     __slots__ = ("id", "message")
 *     def __init__(self, id, message):
 *         self.id = id
 *         self.message = message
 *
 * fortunes = [...]                 # TechEmpower's 12 fortunes
 *
 * def message_of(fortune):
 *     return fortune.message
 *
 * def handler(request):
 *     fs = fortunes.copy()
 *     fs.append(Fortune(0, "Additional fortune added at request time."))
 *     fs.sort(key=message_of)
 *     parts = [HEAD]
 *     for f in fs:
 *         parts.append("&lt;tr&gt;&lt;td&gt;" + str(f.id) + "&lt;/td&gt;&lt;td&gt;" + escape(f.message) + "&lt;/td&gt;&lt;/tr&gt;")
 *     parts.append(TAIL)
 *     return "".join(parts).encode()
 * </pre>
 *
 * The sort is the native {@code list.sort} ({@code Mutator.call}): each key comes from a
 * call of {@code message_of} from C, and, since two messages hold an em dash and one is
 * Japanese, the keys are not all 1-byte strings and every comparison goes through
 * {@code PyUnicode_RichCompare}, as in CPython. Frameworks often pass
 * {@code operator.attrgetter("message")}; a Python key function is used here because its
 * traffic is made of rows the table already checks. The answer is compared byte for byte
 * with the page rendered in Java at set-up. No options.
 */
public final class FortunesWorkload implements Workload {
    static final String HEAD = "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
            + "<tr><th>id</th><th>message</th></tr>";
    static final String TAIL = "</table></body></html>";
    static final String ADDED = "Additional fortune added at request time.";
    static final String[] FORTUNES = {
        "fortune: No such file or directory",
        "A computer scientist is someone who fixes things that aren't broken.",
        "After enough decimal places, nobody gives a damn.",
        "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
        "A computer program does what you tell it to do, not what you want it to do.",
        "Emacs is a nice operating system, but I prefer UNIX. \u2014 Tom Christaensen",
        "Any program that runs right is obsolete.",
        "A list is only as strong as its weakest link. \u2014 Donald Knuth",
        "Feature: A bug with seniority.",
        "Computers make very fast, very accurate mistakes.",
        "<script>alert(\"This should not be displayed in a browser alert box.\");</script>",
        "\u30d5\u30ec\u30fc\u30e0\u30ef\u30fc\u30af\u306e\u30d9\u30f3\u30c1\u30de\u30fc\u30af",
    };

    @Override
    public String name() {
        return "fortunes";
    }

    @Override
    public String description() {
        return "TechEmpower fortunes: copy the shared fortunes, add one, sort by message, render escaped HTML bytes";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        parameters.checkAllUsed();
        Heap h = m.heap();
        ThreadContext t = m.thread();
        Definitions d = m.define();
        long module = d.module("fortunes_app");
        Modules.importNative(m, module, "_html", "escape", NativeModules::escape);
        long fortune = d.klass(module, "Fortune", 0, List.of("id", "message"), false);
        d.method(module, fortune, "__init__", 3, 3, new Object[] {null}, new String[] {"id", "message"}, b -> {
            b.loadFast(1);                          // self.id = id
            b.loadFast(0);
            b.storeAttr(0);
            b.loadFast(2);                          // self.message = message
            b.loadFast(0);
            b.storeAttr(1);
            b.loadConst(0);
            b.returnValue();
        });
        long table = h.lists().newList(FORTUNES.length, t);
        for (int i = 0; i < FORTUNES.length; i++) {
            long row = h.instances().newInstance(fortune, t);
            h.instances().setSlotTake(row, 0, h.numbers().newInt(i + 1, t), t);
            h.instances().setSlotTake(row, 1, h.strings().newStr(FORTUNES[i], t), t);
            h.lists().appendTake(table, row, t);
        }
        d.global(module, "fortunes", table);
        d.function(module, "message_of", 1, 1, new Object[0], new String[] {"message"}, b -> {
            b.loadFast(0);                          // return fortune.message
            b.loadAttr(0);
            b.returnValue();
        });
        // locals: request 0, fs 1, parts 2, f 3
        long handler = d.function(module, "handler", 1, 4,
                new Object[] {0L, ADDED, HEAD, "<tr><td>", "</td><td>", "</td></tr>", TAIL, ""},
                new String[] {"fortunes", "copy", "append", "Fortune", "sort", "message_of", "str", "id", "escape", "message",
                    "join", "encode"}, b -> {
                    b.loadGlobal(0, false);         // fs = fortunes.copy()
                    b.loadMethod(1);
                    b.call(0);
                    b.storeFast(1);
                    b.loadFast(1);                  // fs.append(Fortune(0, "Additional ..."))
                    b.loadMethod(2);
                    b.loadGlobal(3, true);
                    b.loadConst(0);
                    b.loadConst(1);
                    b.call(2);
                    b.call(1);
                    b.popTop();
                    b.loadFast(1);                  // fs.sort(key=message_of)
                    b.loadMethod(4);
                    b.loadGlobal(5, false);
                    b.call(1);
                    b.popTop();
                    b.loadConst(2);                 // parts = [HEAD]
                    b.buildList(1);
                    b.storeFast(2);
                    b.loadFast(1);                  // for f in fs:
                    b.getIter();
                    while (b.forIter()) {
                        b.storeFast(3);
                        b.loadFast(2);              //     parts.append(
                        b.loadMethod(2);
                        b.loadConst(3);             //         "<tr><td>" + str(f.id)
                        b.loadGlobal(6, true);
                        b.loadFast(3);
                        b.loadAttr(7);
                        b.call(1);
                        b.binaryAddStr();
                        b.loadConst(4);             //         + "</td><td>"
                        b.binaryAddStr();
                        b.loadGlobal(8, true);      //         + escape(f.message)
                        b.loadFast(3);
                        b.loadAttr(9);
                        b.call(1);
                        b.binaryAddStr();
                        b.loadConst(5);             //         + "</td></tr>")
                        b.binaryAddStr();
                        b.call(1);
                        b.popTop();
                        b.jumpBackward();                     // JUMP_BACKWARD
                    }
                    b.loadFast(2);                  // parts.append(TAIL)
                    b.loadMethod(2);
                    b.loadConst(6);
                    b.call(1);
                    b.popTop();
                    b.loadConst(7);                 // return "".join(parts).encode()
                    b.loadMethod(10);
                    b.loadFast(2);
                    b.call(1);
                    b.loadMethod(11);
                    b.call(0);
                    b.returnValue();
                });
        String page = render();
        long expected = Modules.bytes(m, page);
        d.global(module, "_expected", expected);
        return Service.of(handler, Service::numbered, (w, index, response) -> {
            Heap heap = w.heap();
            if (heap.kindOf(response) != TypeKind.BYTES || !heap.strings().equal(response, expected)) {
                throw new WrongAnswer("fortunes", index, "expected the page " + page + ", got "
                        + (heap.kindOf(response) == TypeKind.BYTES ? heap.strings().toJava(response) : heap.kindOf(response).name()));
            }
        });
    }

    /** The page, rendered in Java: the fortunes and the added one by message (code point order), escaped. */
    static String render() {
        record Row(int id, String message) {}
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < FORTUNES.length; i++) rows.add(new Row(i + 1, FORTUNES[i]));
        rows.add(new Row(0, ADDED));
        rows.sort((a, b) -> Arrays.compareUnsigned(a.message().getBytes(StandardCharsets.UTF_8),
                b.message().getBytes(StandardCharsets.UTF_8)));
        StringBuilder page = new StringBuilder(HEAD);
        for (Row r : rows) page.append("<tr><td>").append(r.id()).append("</td><td>").append(escape(r.message())).append("</td></tr>");
        return page.append(TAIL).toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#x27;");
    }
}
