package org.pxlab.experiments.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pxlab.experiments.workload.TrafficModel.Category.ATTRIBUTE;
import static org.pxlab.experiments.workload.TrafficModel.Category.CODE;
import static org.pxlab.experiments.workload.TrafficModel.Category.CONSTANT;
import static org.pxlab.experiments.workload.TrafficModel.Category.FUNCTION;
import static org.pxlab.experiments.workload.TrafficModel.Category.GLOBAL;
import static org.pxlab.experiments.workload.TrafficModel.Category.REQUEST;
import static org.pxlab.experiments.workload.TrafficModel.Category.SHARED_DATA;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pxlab.experiments.workload.TrafficModel.Category;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.discipline.RefTrafficRecorder;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.Numbers;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.serve.Server;
import org.pxlab.runtime.serve.Service;

/**
 * One request of each seed workload, its increfs and decrefs counted per category of object
 * (the request's own objects; shared globals, attribute values, data, constants, functions,
 * code, types) and compared with the traffic the reference-discipline table predicts for the
 * workload's code path. A workload that borrowed a reference where CPython counts one (a
 * shared attribute read without +1, say) would fall short in that category and fail. The
 * counts are printed, since they are what makes shared objects contended.
 */
class RequestTrafficTest {
    private static final ComponentRegistry REGISTRY = ComponentRegistry.load();

    /** Measured {increfs, decrefs} per category for one request. */
    private static Map<Category, long[]> measure(String workload, long requestIndex, String[] prefixOut) {
        return measure(Workloads.load().named(workload), requestIndex, prefixOut);
    }

    private static Map<Category, long[]> measure(org.pxlab.runtime.serve.Workload workload, long requestIndex, String[] prefixOut) {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("gil"), RefTrafficRecorder::new)) {
            RefTrafficRecorder recorder = (RefTrafficRecorder) rt.heap().refcounts();
            Service service = Server.setUp(rt, workload, SeedWorkloadsTest.tiny(workload.name()));
            Server.serve(rt, service, 1, 0, 3); // first use: cached hashes, grown pools
            var traffic = new java.util.concurrent.atomic.AtomicReference<Map<Long, int[]>>();
            var shared = new java.util.concurrent.atomic.AtomicReference<Map<Long, Category>>();
            rt.runWorkers(1, Placement.WORKER, (m, w) -> {
                m.enterModule(m.heap().types().builtinsModule(), 0);
                long argument = service.request(m, requestIndex);
                if (prefixOut != null) prefixOut[0] = m.heap().strings().toJava(argument);
                shared.set(classify(m.heap(), service.handler()));
                recorder.start();
                long response = m.callFunction(service.handler(), argument);
                recorder.stop();
                traffic.set(recorder.all());
                service.verify(m, requestIndex, response);
                m.heap().decref(response, m.thread());
                m.heap().decref(argument, m.thread());
                m.exitFrame();
            });
            Map<Category, long[]> out = new EnumMap<>(Category.class);
            for (Map.Entry<Long, int[]> e : traffic.get().entrySet()) {
                long[] c = out.computeIfAbsent(shared.get().getOrDefault(e.getKey(), REQUEST), k -> new long[2]);
                c[0] += e.getValue()[0];
                c[1] += e.getValue()[1];
            }
            return out;
        }
    }

    /**
     * What each object that exists before the request is, walked from the handler's globals,
     * the built-ins and the immortal singletons. Objects the request creates are absent
     * (REQUEST): they are never read, since by the end they may have been freed.
     */
    private static Map<Long, Category> classify(Heap h, long handler) {
        Map<Long, Category> cats = new HashMap<>();
        long globals = h.functions().functionGlobals(handler);
        for (long i = 0; i < h.dicts().entrySlots(globals); i++) {
            long v = h.dicts().entryValue(globals, i);
            if (v != 0) walkGlobal(h, v, cats);
        }
        long builtins = h.types().builtinsDict();
        for (long i = 0; i < h.dicts().entrySlots(builtins); i++) {
            long v = h.dicts().entryValue(builtins, i);
            if (v != 0) put(cats, v, FUNCTION);
        }
        for (long type : new long[] {h.types().dictType(), h.types().listType(), h.types().strType(), h.types().bytesType()}) {
            put(cats, type, Category.TYPE);
            long d = h.types().typeDict(type);
            for (long i = 0; i < h.dicts().entrySlots(d); i++) {
                long v = h.dicts().entryValue(d, i);
                if (v != 0) put(cats, v, FUNCTION);
            }
        }
        put(cats, h.types().none(), CONSTANT);
        put(cats, h.types().trueObject(), CONSTANT);
        put(cats, h.types().falseObject(), CONSTANT);
        for (int v = Numbers.SMALL_MIN; v <= Numbers.SMALL_MAX; v++) put(cats, h.numbers().newInt(v, null), CONSTANT);
        return cats;
    }

    private static void walkGlobal(Heap h, long v, Map<Long, Category> cats) {
        switch (h.kindOf(v)) {
            case FUNCTION -> walkFunction(h, v, cats);
            case BUILTIN -> put(cats, v, FUNCTION);
            case TYPE -> {
                put(cats, v, Category.TYPE);
                long d = h.types().typeDict(v);
                for (long i = 0; i < h.dicts().entrySlots(d); i++) {
                    long m = h.dicts().entryValue(d, i);
                    if (m != 0 && h.kindOf(m) == TypeKind.FUNCTION) walkFunction(h, m, cats);
                }
            }
            case INSTANCE -> {
                put(cats, v, GLOBAL);
                long d = h.instances().dict(v);
                for (long i = 0; d != 0 && i < h.dicts().entrySlots(d); i++) {
                    long a = h.dicts().entryValue(d, i);
                    if (a != 0) put(cats, a, ATTRIBUTE);
                }
            }
            case LIST -> {
                put(cats, v, GLOBAL);
                for (long i = 0; i < h.lists().size(v); i++) put(cats, h.lists().getItem(v, i), SHARED_DATA);
            }
            default -> put(cats, v, GLOBAL);
        }
    }

    private static void walkFunction(Heap h, long f, Map<Long, Category> cats) {
        put(cats, f, FUNCTION);
        long code = h.functions().functionCode(f);
        put(cats, code, CODE);
        long consts = h.functions().codeConsts(code);
        for (long i = 0; i < h.tuples().size(consts); i++) put(cats, h.tuples().getItem(consts, i), CONSTANT);
    }

    /** Where an object plays two parts, the more specific wins: a global over an attribute over data over a constant. */
    private static void put(Map<Long, Category> cats, long o, Category c) {
        cats.merge(o, c, (a, b) -> a.ordinal() <= b.ordinal() ? a : b);
    }

    private static void compare(String workload, Map<Category, long[]> measured, TrafficModel model) {
        StringBuilder table = new StringBuilder(String.format("%nrefcount traffic of one %s request on gil (CPython 3.12 discipline)%n"
                + "  %-12s %8s %8s   %s%n", workload, "category", "increfs", "decrefs", "table predicts"));
        long inc = 0, dec = 0;
        for (Category c : Category.values()) {
            long[] got = measured.getOrDefault(c, new long[2]);
            long[] want = model.expected().getOrDefault(c, new long[2]);
            inc += got[0];
            dec += got[1];
            table.append(String.format("  %-12s %8d %8d   +%d -%d%n", c.name().toLowerCase(), got[0], got[1], want[0], want[1]));
        }
        table.append(String.format("  %-12s %8d %8d%n", "total", inc, dec));
        System.out.print(table);
        for (Category c : Category.values()) {
            assertThat(measured.getOrDefault(c, new long[2])).as("%s, category %s (+increfs, -decrefs)%s", workload, c, table)
                    .containsExactly(model.expected().getOrDefault(c, new long[2]));
        }
    }

    /**
     * <pre>
     * s = settings                           LOAD_GLOBAL_MODULE, STORE_FAST
     * return combine(s.rate, s.scale, s.label)   LOAD_GLOBAL, 3 x (LOAD_FAST, LOAD_ATTR), CALL
     *     return rate + scale                LOAD_FAST x2, BINARY_OP_ADD_FLOAT, RETURN_VALUE
     * </pre>
     */
    @Test
    void hotSharedObject() {
        compare("hot-shared-object", measure("hot-shared-object", 1000, null), hotSharedObjectModel());
    }

    /** hot-shared-object's model, shared by the real workload's test and the borrowing one's. */
    private static TrafficModel hotSharedObjectModel() {
        return new TrafficModel()
                .op("Python function called from C (_PyEval_Vector)", "function", FUNCTION, "arg", REQUEST, "code", CODE)
                .op("LOAD_GLOBAL_MODULE", "value", GLOBAL)
                .op("STORE_FAST", "old", List.of())
                .op("LOAD_GLOBAL_MODULE", "value", FUNCTION)
                .times(3, t -> t.op("LOAD_FAST", "value", GLOBAL).op("LOAD_ATTR_WITH_HINT", "attr", ATTRIBUTE, "owner", GLOBAL))
                .op("CALL_PY_EXACT_ARGS (push)", "code", CODE)
                .op("LOAD_FAST", "value", ATTRIBUTE)
                .op("LOAD_FAST", "value", ATTRIBUTE)
                .op("BINARY_OP_ADD_FLOAT (new float)", "left", ATTRIBUTE, "right", ATTRIBUTE)
                .op("RETURN_VALUE (pop)", "local", List.of(ATTRIBUTE, ATTRIBUTE, ATTRIBUTE), "function", FUNCTION, "code", CODE)
                .op("RETURN_VALUE (pop)", "local", List.of(REQUEST, GLOBAL), "function", FUNCTION, "code", CODE);
    }

    /**
     * The mistake this test exists to catch: a handler that reads the shared instance's
     * attributes from Java, with borrowed addresses, instead of through LOAD_GLOBAL and
     * LOAD_ATTR. Its answers are right; its refcount traffic on shared objects is missing.
     */
    @Test
    void aWorkloadThatBorrowsFailsTheCheck() {
        org.pxlab.runtime.serve.Workload borrowing = new org.pxlab.runtime.serve.Workload() {
            public String name() { return "hot-shared-object"; }
            public String description() { return "hot-shared-object, with borrowed reads"; }
            public Service setUp(org.pxlab.runtime.exec.Mutator m, org.pxlab.runtime.spi.ComponentParameters p) {
                Service real = new HotSharedObjectWorkload().setUp(m, p);
                Heap h = m.heap();
                long globals = h.functions().functionGlobals(real.handler());
                long settings = h.dicts().getItem(globals, h.strings().intern("settings", m.thread()));
                long attrs = h.instances().dict(settings);
                long rate = h.dicts().getItem(attrs, h.strings().intern("rate", m.thread()));
                long scale = h.dicts().getItem(attrs, h.strings().intern("scale", m.thread()));
                long handler = m.define().function(m.define().module("borrowing"), "borrowing_handler", 1, 1, new Object[0],
                        new String[0], b -> {
                            double sum = b.heap().numbers().floatValue(rate) + b.heap().numbers().floatValue(scale);
                            b.pushNew(b.heap().numbers().newFloat(sum, b.thread()));
                            b.returnValue();
                        });
                return Service.of(handler, real::request, real::verify);
            }
        };
        Map<Category, long[]> measured = measure(borrowing, 1000, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> compare("hot-shared-object (borrowing)", measured,
                hotSharedObjectModel())).isInstanceOf(AssertionError.class).hasMessageContaining("GLOBAL");
    }

    @Test
    void json() {
        TrafficModel model = new TrafficModel()
                .op("Python function called from C (_PyEval_Vector)", "function", FUNCTION, "arg", REQUEST, "code", CODE)
                .op("LOAD_GLOBAL_MODULE", "value", GLOBAL)                 // encoder
                .op("LOAD_ATTR_METHOD_WITH_VALUES", "function", FUNCTION)  // .encode
                .op("LOAD_CONST", "const", CONSTANT)                       // {"message": "Hello, World!"}
                .op("LOAD_CONST", "const", CONSTANT)
                .op("BUILD_MAP", "key", CONSTANT, "value", CONSTANT)
                .op("CALL_PY_EXACT_ARGS (push)", "code", CODE)             // encode(self, obj):
                .op("BUILD_TUPLE / BUILD_LIST")                            //   parts = []
                .op("STORE_FAST", "old", List.of())
                .op("LOAD_FAST", "value", REQUEST)                         //   for key in obj:
                .op("GET_ITER (dict)", "dict", REQUEST)
                .op("FOR_ITER (dict keys, next)", "key", CONSTANT)
                .op("STORE_FAST", "old", List.of())
                .op("LOAD_FAST", "value", REQUEST)                         //     parts.append(
                .op("LOAD_ATTR_METHOD_WITH_VALUES", "function", FUNCTION)
                .op("LOAD_FAST", "value", GLOBAL)                          //       self.quote(key)
                .op("LOAD_ATTR_METHOD_WITH_VALUES", "function", FUNCTION)
                .op("LOAD_FAST", "value", CONSTANT);
        quote(model);
        model.op("LOAD_FAST", "value", GLOBAL)                             //       + self.colon
                .op("LOAD_ATTR_WITH_HINT", "attr", ATTRIBUTE, "owner", GLOBAL)
                .op("BINARY_OP_ADD_UNICODE", "left", REQUEST, "right", ATTRIBUTE)
                .op("LOAD_FAST", "value", GLOBAL)                          //       + self.quote(obj[key])
                .op("LOAD_ATTR_METHOD_WITH_VALUES", "function", FUNCTION)
                .op("LOAD_FAST", "value", REQUEST)
                .op("LOAD_FAST", "value", CONSTANT)
                .op("BINARY_SUBSCR_DICT", "value", CONSTANT, "container", REQUEST, "key", CONSTANT);
        quote(model);
        model.op("BINARY_OP_ADD_UNICODE", "left", REQUEST, "right", REQUEST)
                .op("CALL_NO_KW_LIST_APPEND", "self", REQUEST, "callable", FUNCTION)   //     )
                .op("POP_TOP", "value", CONSTANT)
                .op("FOR_ITER (dict keys, exhausted)", "dict", REQUEST, "iterator", REQUEST)
                .op("LOAD_CONST", "const", CONSTANT)                       //   ("{" + self.sep.join(parts) + "}").encode()
                .op("LOAD_FAST", "value", GLOBAL)
                .op("LOAD_ATTR_WITH_HINT", "attr", ATTRIBUTE, "owner", GLOBAL)
                .op("LOAD_ATTR_METHOD_WITH_VALUES", "function", FUNCTION)
                .op("LOAD_FAST", "value", REQUEST)
                .op("CALL_NO_KW_METHOD_DESCRIPTOR_* (str.join, str.encode, str.startswith)", "arg", List.of(REQUEST),
                        "self", ATTRIBUTE, "callable", FUNCTION)
                .op("BINARY_OP_ADD_UNICODE", "left", CONSTANT, "right", REQUEST)
                .op("LOAD_CONST", "const", CONSTANT)
                .op("BINARY_OP_ADD_UNICODE", "left", REQUEST, "right", CONSTANT)
                .op("LOAD_ATTR_METHOD_WITH_VALUES", "function", FUNCTION)
                .op("CALL_NO_KW_METHOD_DESCRIPTOR_* (str.join, str.encode, str.startswith)", "arg", List.of(),
                        "self", REQUEST, "callable", FUNCTION)
                .op("RETURN_VALUE (pop)", "local", List.of(GLOBAL, REQUEST, REQUEST, CONSTANT), "function", FUNCTION, "code", CODE)
                .op("a list or dict freed (tp_dealloc)", "item", List.of(CONSTANT, CONSTANT))   // obj: its key and value
                .op("a list or dict freed (tp_dealloc)", "item", List.of(REQUEST))              // parts: its one string
                .op("RETURN_VALUE (pop)", "local", List.of(REQUEST), "function", FUNCTION, "code", CODE);
        compare("json", measure("json", 1000, null), model);
    }

    /** {@code quote(self, s)} with a constant {@code s}: '"' + s + '"'. */
    private static void quote(TrafficModel model) {
        model.op("CALL_PY_EXACT_ARGS (push)", "code", CODE)
                .op("LOAD_CONST", "const", CONSTANT)
                .op("LOAD_FAST", "value", CONSTANT)
                .op("BINARY_OP_ADD_UNICODE", "left", CONSTANT, "right", CONSTANT)
                .op("LOAD_CONST", "const", CONSTANT)
                .op("BINARY_OP_ADD_UNICODE", "left", REQUEST, "right", CONSTANT)
                .op("RETURN_VALUE (pop)", "local", List.of(GLOBAL, CONSTANT), "function", FUNCTION, "code", CODE);
    }

    @Test
    void wikiSearch() {
        String[] prefix = new String[1];
        long request = 5;
        Map<Category, long[]> measured = measure("wiki-search", request, prefix);
        WikiTitles titles = new WikiTitles(3000, 42);
        int lo = 0, hi = (int) titles.count(), probes = 0;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            probes++;
            if (titles.get(mid).compareTo(prefix[0]) < 0) lo = mid + 1;
            else hi = mid;
        }
        int hits = 0;
        while (lo + hits < titles.count() && titles.get(lo + hits).startsWith(prefix[0])) hits++;
        assertThat(hits).as("the chosen request ends its scan on a title without the prefix").isLessThan(100);
        assertThat((long) lo + hits).isLessThan(titles.count());

        TrafficModel model = new TrafficModel()
                .op("Python function called from C (_PyEval_Vector)", "function", FUNCTION, "arg", SHARED_DATA, "code", CODE)
                .op("LOAD_GLOBAL_MODULE", "value", FUNCTION)               // i = bisect_left(titles, prefix)
                .op("LOAD_GLOBAL_MODULE", "value", GLOBAL)
                .op("LOAD_FAST", "value", SHARED_DATA)
                .op("CALL_BUILTIN_O / _FAST (len)", "arg", List.of(GLOBAL, SHARED_DATA), "callable", FUNCTION)
                .times(probes, t -> t.op("_bisect.bisect_left, one probe (C)", "item", SHARED_DATA))
                .op("STORE_FAST", "old", List.of())
                .op("BUILD_TUPLE / BUILD_LIST")                            // results = []
                .op("STORE_FAST", "old", List.of())
                .op("LOAD_GLOBAL_BUILTIN", "value", FUNCTION)              // n = len(titles)
                .op("LOAD_GLOBAL_MODULE", "value", GLOBAL)
                .op("CALL_BUILTIN_O / _FAST (len)", "arg", List.of(GLOBAL), "callable", FUNCTION)
                .op("STORE_FAST", "old", List.of());
        for (int h = 0; h <= hits; h++) {
            Category i = lo + h <= Numbers.SMALL_MAX ? CONSTANT : REQUEST;
            model.op("LOAD_FAST", "value", i)                              // while i < n:
                    .op("LOAD_FAST", "value", REQUEST)
                    .op("BINARY_OP_ADD_INT / COMPARE_OP_INT", "left", i, "right", REQUEST)
                    .op("POP_JUMP_IF_FALSE / _TRUE (bool)")
                    .op("LOAD_GLOBAL_MODULE", "value", GLOBAL)             //     title = titles[i]
                    .op("LOAD_FAST", "value", i)
                    .op("BINARY_SUBSCR_LIST_INT", "item", SHARED_DATA, "index", i, "container", GLOBAL)
                    .op("STORE_FAST", "old", h == 0 ? List.of() : List.of(SHARED_DATA))
                    .op("LOAD_FAST", "value", SHARED_DATA)                 //     if not title.startswith(prefix): break
                    .op("LOAD_ATTR_METHOD_WITH_VALUES", "function", FUNCTION)
                    .op("LOAD_FAST", "value", SHARED_DATA)
                    .op("CALL_NO_KW_METHOD_DESCRIPTOR_* (str.join, str.encode, str.startswith)", "arg", List.of(SHARED_DATA),
                            "self", SHARED_DATA, "callable", FUNCTION)
                    .op("POP_JUMP_IF_FALSE / _TRUE (bool)");
            if (h == hits) break;
            Category next = lo + h + 1 <= Numbers.SMALL_MAX ? CONSTANT : REQUEST;
            model.op("LOAD_FAST", "value", REQUEST)                        //     results.append(offsets[i])
                    .op("LOAD_ATTR_METHOD_WITH_VALUES", "function", FUNCTION)
                    .op("LOAD_GLOBAL_MODULE", "value", GLOBAL)
                    .op("LOAD_FAST", "value", i)
                    .op("BINARY_SUBSCR_LIST_INT", "item", SHARED_DATA, "index", i, "container", GLOBAL)
                    .op("CALL_NO_KW_LIST_APPEND", "self", REQUEST, "callable", FUNCTION)
                    .op("POP_TOP", "value", CONSTANT)
                    .op("LOAD_GLOBAL_BUILTIN", "value", FUNCTION)          //     if len(results) >= limit: break
                    .op("LOAD_FAST", "value", REQUEST)
                    .op("CALL_BUILTIN_O / _FAST (len)", "arg", List.of(REQUEST), "callable", FUNCTION)
                    .op("LOAD_GLOBAL_MODULE", "value", GLOBAL)
                    .op("BINARY_OP_ADD_INT / COMPARE_OP_INT", "left", CONSTANT, "right", GLOBAL)
                    .op("POP_JUMP_IF_FALSE / _TRUE (bool)")
                    .op("LOAD_FAST", "value", i)                           //     i = i + 1
                    .op("LOAD_CONST", "const", CONSTANT)
                    .op("BINARY_OP_ADD_INT / COMPARE_OP_INT", "left", i, "right", CONSTANT)
                    .op("STORE_FAST", "old", List.of(i));
            assertThat(next).isNotNull();
        }
        Category last = lo + hits <= Numbers.SMALL_MAX ? CONSTANT : REQUEST;
        model.op("LOAD_FAST", "value", REQUEST)                            // return results
                .op("RETURN_VALUE (pop)", "local", List.of(SHARED_DATA, last, REQUEST, REQUEST, SHARED_DATA),
                        "function", FUNCTION, "code", CODE);
        compare("wiki-search", measured, model);
    }
}
