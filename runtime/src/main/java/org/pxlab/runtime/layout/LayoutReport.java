package org.pxlab.runtime.layout;

import java.util.ArrayList;
import java.util.List;
import org.pxlab.runtime.config.Configuration;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.Space;
import org.pxlab.runtime.object.TypeKind;

/**
 * Prints a configuration's object layout as JOL prints a class: the composed header field by
 * field (offset, size, owner, padding), each space's pre-header, and the bytes an object of
 * each type takes in each space. It composes the header with the same code the runtime uses
 * (a {@link Heap} that is constructed but never bootstrapped, so no memory is taken).
 */
public final class LayoutReport {
    private LayoutReport() {}

    /** A representative object of each type, with the size of its variable part. */
    private record Sample(String label, TypeKind kind, long variable) {}

    private static final List<Sample> SAMPLES = List.of(
            new Sample("None", TypeKind.NONE, 0),
            new Sample("int", TypeKind.INT, 0),
            new Sample("float", TypeKind.FLOAT, 0),
            new Sample("str (10 chars)", TypeKind.STR, 10),
            new Sample("bytes (10)", TypeKind.BYTES, 10),
            new Sample("tuple (3 items)", TypeKind.TUPLE, 3),
            new Sample("list (+ items block)", TypeKind.LIST, 0),
            new Sample("dict (+ keys block)", TypeKind.DICT, 0),
            new Sample("function", TypeKind.FUNCTION, 0),
            new Sample("code", TypeKind.CODE, 0),
            new Sample("type", TypeKind.TYPE, 0),
            new Sample("module", TypeKind.MODULE, 0),
            new Sample("instance (2 slots)", TypeKind.INSTANCE, 2),
            new Sample("bound method", TypeKind.BOUND_METHOD, 0),
            new Sample("builtin function", TypeKind.BUILTIN, 0),
            new Sample("list iterator", TypeKind.LIST_ITERATOR, 0),
            new Sample("dict key iterator", TypeKind.DICT_KEY_ITERATOR, 0),
            new Sample("blob (64 B)", TypeKind.BLOB, 64));

    /** The report as text. */
    public static String render(Configuration configuration) {
        Heap heap = new Heap(configuration.spaces(), configuration.sync().headerFields());
        StringBuilder out = new StringBuilder();
        out.append("configuration ").append(configuration.name()).append(": ")
                .append(configuration.declaration().description()).append('\n');
        out.append("models CPython ").append(configuration.declaration().version().label())
                .append(", sync ").append(configuration.declaration().sync()).append("\n\n");
        out.append("object header (every space), ").append(heap.header().size()).append(" bytes:\n");
        appendStruct(out, heap.header(), 0);
        for (Space s : configuration.spaces()) {
            var d = configuration.declaration().spaces().get(s.index());
            out.append("\nspace ").append(s.name()).append(": allocator ").append(d.allocator())
                    .append(", refcount ").append(d.refcount()).append(", collector ").append(d.collector())
                    .append(s.shared() ? ", shared by threads" : ", private to one thread or context").append('\n');
            if (s.preHeaderSize() > 0) {
                out.append("  pre-header of tracked containers, ").append(s.preHeaderSize()).append(" bytes (before the object):\n");
                appendStruct(out, s.preHeader(), -s.preHeaderSize());
            } else {
                out.append("  no pre-header\n");
            }
            out.append(String.format("  %-22s %10s %8s %6s %7s%n", "type", "pre-header", "header", "body", "total"));
            for (Sample sample : SAMPLES) {
                int pre = sample.kind().container() ? s.preHeaderSize() : 0;
                long body = Heap.bodyBytes(sample.kind(), sample.variable());
                long total = pre + heap.header().size() + body;
                out.append(String.format("  %-22s %10d %8d %6d %7d%n", sample.label(), pre, heap.header().size(), body, total));
            }
        }
        return out.toString();
    }

    private static void appendStruct(StringBuilder out, StructLayout layout, int base) {
        out.append(String.format("  %6s %5s  %-16s %s%n", "OFFSET", "SIZE", "FIELD", "DECLARED BY"));
        List<String> lines = new ArrayList<>();
        for (StructLayout.Slot slot : layout.slots()) {
            if (slot.isPadding()) {
                lines.add(String.format("  %6d %5d  %-16s %s", base + slot.offset(), slot.size(), "(padding)", "alignment"));
            } else {
                lines.add(String.format("  %6d %5d  %-16s %s", base + slot.offset(), slot.size(), slot.field().name(),
                        slot.field().owner()));
            }
        }
        lines.forEach(l -> out.append(l).append('\n'));
        out.append(String.format("  total %d bytes, %d of padding%n", layout.size(), layout.paddingBytes()));
    }
}
