package org.pxlab.configurations;

import java.util.EnumSet;
import java.util.function.UnaryOperator;
import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.config.SpaceDeclaration;

/**
 * The spaces of an isolated configuration: the main interpreter's heap ({@code main}) and one
 * heap per worker ({@code PREFIX-1} .. {@code PREFIX-8}), each private to its thread, each with
 * fresh instances of the same components. The {@code isolated} discipline places worker
 * {@code k} in heap {@code k}; the placements below only say where a thread starts.
 */
final class IsolatedHeaps {
    /** Worker heaps declared: the most workers an isolated configuration serves with (the runtime allows 16 spaces). */
    static final int WORKERS = 8;

    private IsolatedHeaps() {}

    /** Declares the main heap and {@link #WORKERS} worker heaps named {@code prefix-k}, each composed by {@code heap}. */
    static ConfigurationDeclaration.Builder declare(ConfigurationDeclaration.Builder b, String prefix,
                                                    UnaryOperator<SpaceDeclaration.Builder> heap) {
        b.space("main", s -> heap.apply(s).threadPrivate());
        for (int k = 1; k <= WORKERS; k++) b.space(prefix + "-" + k, s -> heap.apply(s).threadPrivate());
        return b.place(EnumSet.of(Placement.MAIN), "main")
                .place(EnumSet.of(Placement.WORKER, Placement.PARALLEL_CONTEXT, Placement.INTERPRETER), prefix + "-1");
    }
}
