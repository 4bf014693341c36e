package org.pxlab.runtime.spi;

/**
 * A store into (or a removal from) an object, as a {@link StoreBarrier} sees it: the C-API
 * operation, so that a refusal can name it, and whether it grows the target's storage (a
 * dict insert that resizes its table, which PyParallel's guard caught where a plain insert
 * slipped through).
 */
public enum StoreOperation {
    /** {@code list[i] = v}. */
    LIST_SET_ITEM("list.__setitem__", true),
    /** {@code list.append(v)} / {@code LIST_APPEND}. */
    LIST_APPEND("list.append", true),
    /** {@code list.pop()}, {@code del list[i]}. */
    LIST_REMOVE("list.pop", false),
    /** {@code list.clear()} / {@code tp_clear}. */
    LIST_CLEAR("list.clear", false),
    /** {@code list.sort()}: reorders the items in place. */
    LIST_SORT("list.sort", false),
    /** {@code dict[k] = v} where {@code k} is present: the value is replaced. */
    DICT_REPLACE("dict.__setitem__ (replace)", true),
    /** {@code dict[k] = v} where {@code k} is new and the table has room. */
    DICT_INSERT("dict.__setitem__ (insert)", true),
    /** {@code dict[k] = v} where {@code k} is new and the table must grow first. */
    DICT_INSERT_RESIZE("dict.__setitem__ (insert, resize)", true),
    /** {@code del dict[k]}. */
    DICT_DELETE("dict.__delitem__", false),
    /** {@code dict.clear()} / {@code tp_clear}. */
    DICT_CLEAR("dict.clear", false),
    /** A store into an instance slot ({@code STORE_ATTR_SLOT}). */
    ATTRIBUTE_SLOT("object.__setattr__ (slot)", true),
    /** The instance dict created on an instance's first attribute store. */
    INSTANCE_DICT("object.__dict__ (created)", true),
    /** An item of a tuple being built ({@code BUILD_TUPLE}, {@code PyTuple_Pack}). */
    TUPLE_BUILD("tuple (built)", true);

    private final String label;
    private final boolean storesValue;

    StoreOperation(String label, boolean storesValue) {
        this.label = label;
        this.storesValue = storesValue;
    }

    /** The operation as a Python programmer would name it, for error messages. */
    public String label() {
        return label;
    }

    /** Whether the operation stores a reference ({@code false}: it only removes or reorders). */
    public boolean storesValue() {
        return storesValue;
    }
}
