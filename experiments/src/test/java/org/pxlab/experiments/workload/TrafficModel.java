package org.pxlab.experiments.workload;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.pxlab.runtime.discipline.OpTraffic;
import org.pxlab.runtime.discipline.PythonVersion;
import org.pxlab.runtime.discipline.ReferenceDiscipline;

/**
 * The refcount traffic a request should emit, composed from the reference-discipline table:
 * the test walks the workload's code path operation by operation, naming which category of
 * object plays each role of the row; the expected increfs and decrefs per category are the
 * sums of the rows' parsed counts. Nothing here is a number typed in: every count comes from
 * a row of {@link ReferenceDiscipline}.
 */
final class TrafficModel {
    /** What an object is, as seen from one request. */
    enum Category {
        /** Made by this request (its arguments, temporaries, result). */
        REQUEST,
        /** A module-level object: an instance, a list, an int bound in the globals. */
        GLOBAL,
        /** A value held in an attribute of a shared instance. */
        ATTRIBUTE,
        /** An item of a shared container (a title, an offset). */
        SHARED_DATA,
        /** A code object's constant, or an immortal singleton (None, True, False, small ints). */
        CONSTANT,
        /** A function, method or built-in. */
        FUNCTION,
        /** A code object. */
        CODE,
        /** A class or built-in type. */
        TYPE
    }

    private final Map<Category, long[]> expected = new EnumMap<>(Category.class);

    /**
     * Adds one execution of a row. {@code roles} alternates role names and what plays them: a
     * {@link Category}, or a {@code List<Category>} for a role played by several objects (each
     * local a frame releases) or by none (an unbound local: {@code List.of()}).
     */
    TrafficModel op(String row, Object... roles) {
        OpTraffic r = ReferenceDiscipline.row(PythonVersion.V3_12, row);
        Map<String, List<Category>> who = new java.util.HashMap<>();
        for (int i = 0; i < roles.length; i += 2) {
            Object v = roles[i + 1];
            @SuppressWarnings("unchecked")
            List<Category> cats = v instanceof Category c ? List.of(c) : (List<Category>) v;
            who.put((String) roles[i], cats);
        }
        apply(r, r.increfs(), who, 0);
        apply(r, r.decrefs(), who, 1);
        return this;
    }

    TrafficModel times(int n, java.util.function.Consumer<TrafficModel> body) {
        for (int i = 0; i < n; i++) body.accept(this);
        return this;
    }

    private void apply(OpTraffic row, Map<String, Integer> counts, Map<String, List<Category>> who, int column) {
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            List<Category> cats = who.get(e.getKey());
            if (cats == null) throw new IllegalArgumentException(row.bytecode() + ": say who plays " + e.getKey());
            for (Category c : cats) expected.computeIfAbsent(c, k -> new long[2])[column] += e.getValue();
        }
    }

    /** {increfs, decrefs} expected per category. */
    Map<Category, long[]> expected() {
        return expected;
    }
}
