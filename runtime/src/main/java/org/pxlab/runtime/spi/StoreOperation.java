package org.pxlab.runtime.spi;

/**
 * A store into (or a removal from) an object, as a {@link StoreBarrier} sees it: the C-API
 * operation, so that a refusal can name it; a dict insert that must resize its table is an
 * operation of its own, because PyParallel's guard caught it where a plain insert slipped
 * through.
 */
public enum StoreOperation {
    /** {@code list[i] = v}. */
    LIST_SET_ITEM("list.__setitem__"),
    /** {@code list.append(v)} / {@code LIST_APPEND}. */
    LIST_APPEND("list.append"),
    /** {@code list.pop()}, {@code del list[i]}. */
    LIST_REMOVE("list.pop"),
    /** {@code list.clear()} / {@code tp_clear}. */
    LIST_CLEAR("list.clear"),
    /** {@code list.sort()}: reorders the items in place. */
    LIST_SORT("list.sort"),
    /** {@code dict[k] = v} where {@code k} is present: the value is replaced. */
    DICT_REPLACE("dict.__setitem__ (replace)"),
    /**
     * The key passed to {@code dict[k] = v} where an equal key is present: it is not stored, and
     * the reference passed with it is dropped ({@code insertdict}'s {@code Py_DECREF(key)}). A
     * barrier sees it so that the dropped reference matches how the caller got it (under
     * split-brain, uncounted in parallel code).
     */
    DICT_REPLACE_KEY("dict.__setitem__ (key dropped)"),
    /** {@code dict[k] = v} where {@code k} is new and the table has room. */
    DICT_INSERT("dict.__setitem__ (insert)"),
    /** {@code dict[k] = v} where {@code k} is new and the table must grow first. */
    DICT_INSERT_RESIZE("dict.__setitem__ (insert, resize)"),
    /** {@code del dict[k]}. */
    DICT_DELETE("dict.__delitem__"),
    /** {@code dict.clear()} / {@code tp_clear}. */
    DICT_CLEAR("dict.clear"),
    /** A store into an instance slot ({@code STORE_ATTR_SLOT}). */
    ATTRIBUTE_SLOT("object.__setattr__ (slot)"),
    /** The instance dict created on an instance's first attribute store. */
    INSTANCE_DICT("object.__dict__ (created)"),
    /** An item of a tuple being built ({@code BUILD_TUPLE}, {@code PyTuple_Pack}). */
    TUPLE_BUILD("tuple (built)");

    private final String label;

    StoreOperation(String label) {
        this.label = label;
    }

    /** The operation as a Python programmer would name it, for error messages. */
    public String label() {
        return label;
    }
}
