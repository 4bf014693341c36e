package org.pxlab.runtime.object;

/**
 * The native layout behind a type object: what its instances' bodies hold and how the
 * runtime traverses and frees them. Several types may share a kind (every user class is
 * {@link #INSTANCE}).
 *
 * <p>{@code container} says whether CPython tracks such objects for the cycle collector
 * (they carry a GC pre-header where the configuration has one). Code objects hold
 * references but are not tracked in CPython 3.12; pxlab follows that.
 */
public enum TypeKind {
    NONE(false), BOOL(false), INT(false), FLOAT(false), STR(false), BYTES(false),
    TUPLE(true), LIST(true), DICT(true),
    FUNCTION(true), CODE(false), TYPE(true), MODULE(true), INSTANCE(true),
    BOUND_METHOD(true), BUILTIN(true), MEMBER_DESCRIPTOR(true), LIST_ITERATOR(true), DICT_KEY_ITERATOR(true),
    BLOB(false);

    private final boolean container;

    TypeKind(boolean container) {
        this.container = container;
    }

    /** Whether instances are tracked by a cycle collector. */
    public boolean container() {
        return container;
    }

    private static final TypeKind[] VALUES = values();

    /** The kind with the given ordinal (as stored in type objects). */
    public static TypeKind of(int ordinal) {
        return VALUES[ordinal];
    }
}
