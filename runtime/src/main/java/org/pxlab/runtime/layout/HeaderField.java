package org.pxlab.runtime.layout;

import java.util.Objects;

/**
 * One field that a component needs in every object header (or pre-header) of the spaces it
 * serves, such as {@code ob_refcnt} for plain reference counts or {@code ob_mutex} for
 * per-object locks.
 *
 * @param name  the field's name as the modelled C struct spells it ({@code ob_refcnt})
 * @param size  size in bytes: 1, 2, 4 or 8
 * @param rank  position hint: fields are laid out by ascending rank, ties in declaration
 *              order. It lets the composed header follow the real struct's order, e.g.
 *              PEP 703's {@code ob_tid, ob_flags, ob_mutex, ob_gc_bits, ob_ref_local,
 *              ob_ref_shared, ob_type}. See {@link Ranks} for the values in use.
 * @param owner the component that declared it (shown by {@code pxlab layout})
 */
public record HeaderField(String name, int size, int rank, String owner) {
    public HeaderField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException("header field " + name + ": size " + size + " is not 1, 2, 4 or 8");
        }
    }

    /** Natural alignment: a field is aligned to its own size, as in a C struct. */
    public int alignment() {
        return size;
    }
}
