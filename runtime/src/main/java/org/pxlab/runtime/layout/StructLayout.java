package org.pxlab.runtime.layout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A C struct composed from {@link HeaderField}s: fields in rank order, each at its natural
 * alignment, padding where alignment requires it, the total rounded up to 8 bytes (the
 * alignment of a pointer, which every header holds).
 *
 * <p>Immutable. Two fields of the same name are refused: that is two components claiming
 * one word.
 */
public final class StructLayout {
    /** A placed field, or a stretch of padding ({@code field == null}). */
    public record Slot(int offset, int size, HeaderField field) {
        public boolean isPadding() {
            return field == null;
        }
    }

    private final List<Slot> slots;
    private final Map<String, Integer> offsets;
    private final int size;

    private StructLayout(List<Slot> slots, Map<String, Integer> offsets, int size) {
        this.slots = List.copyOf(slots);
        this.offsets = Map.copyOf(offsets);
        this.size = size;
    }

    /** An empty struct (size 0). */
    public static StructLayout empty() {
        return compose(List.of());
    }

    /** Lays out the fields; a stable sort by rank keeps declaration order among equals. */
    public static StructLayout compose(List<HeaderField> fields) {
        List<HeaderField> ordered = new ArrayList<>(fields);
        ordered.sort(Comparator.comparingInt(HeaderField::rank));
        List<Slot> slots = new ArrayList<>();
        Map<String, Integer> offsets = new HashMap<>();
        int offset = 0;
        for (HeaderField f : ordered) {
            if (offsets.containsKey(f.name())) {
                throw new IllegalArgumentException("header field " + f.name() + " is declared twice (by "
                        + ownerOf(slots, f.name()) + " and " + f.owner() + ")");
            }
            int aligned = align(offset, f.alignment());
            if (aligned > offset) slots.add(new Slot(offset, aligned - offset, null));
            slots.add(new Slot(aligned, f.size(), f));
            offsets.put(f.name(), aligned);
            offset = aligned + f.size();
        }
        int total = align(offset, 8);
        if (total > offset) slots.add(new Slot(offset, total - offset, null));
        return new StructLayout(slots, offsets, total);
    }

    private static String ownerOf(List<Slot> slots, String name) {
        return slots.stream().filter(s -> !s.isPadding() && s.field().name().equals(name))
                .map(s -> s.field().owner()).findFirst().orElse("?");
    }

    public static int align(int offset, int alignment) {
        return (offset + alignment - 1) & -alignment;
    }

    /** Total size in bytes, a multiple of 8. */
    public int size() {
        return size;
    }

    /** Fields and padding in address order. */
    public List<Slot> slots() {
        return slots;
    }

    public boolean has(String field) {
        return offsets.containsKey(field);
    }

    /**
     * Offset of a field from the start of the struct.
     *
     * @throws IllegalArgumentException naming the field and the fields present, if absent
     */
    public int offsetOf(String field) {
        Integer o = offsets.get(field);
        if (o == null) {
            throw new IllegalArgumentException("no header field " + field + " in this layout; fields: "
                    + slots.stream().filter(s -> !s.isPadding()).map(s -> s.field().name()).toList());
        }
        return o;
    }

    /** Bytes of padding in the struct. */
    public int paddingBytes() {
        return slots.stream().filter(Slot::isPadding).mapToInt(Slot::size).sum();
    }
}
