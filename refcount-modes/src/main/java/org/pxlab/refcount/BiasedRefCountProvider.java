package org.pxlab.refcount;

import java.util.EnumSet;
import java.util.List;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/**
 * Registers {@link BiasedRefCount} as {@code biased}. Option {@code immortal} (the
 * {@code immortal} modifier): a comma-separated subset of {@code types}, {@code functions},
 * {@code code}, {@code modules}; objects of those kinds are immortal from their creation, as
 * 3.13t immortalizes its deferred objects ({@code _PyGC_ImmortalizeDeferredObjects}). Statics
 * (built-in types, small ints, singletons) and interned strings are immortal in every
 * configuration already.
 */
public final class BiasedRefCountProvider implements ComponentProvider {
    /** The words option {@code immortal} accepts. */
    public static final List<String> IMMORTAL_KINDS = List.of("types", "functions", "code", "modules");

    @Override
    public ComponentKind kind() {
        return ComponentKind.REFCOUNT;
    }

    @Override
    public String name() {
        return "biased";
    }

    @Override
    public String description() {
        return "CPython 3.13t's biased counts (PEP 703, BRC): owner plain local count, others atomic shared count,"
                + " merge queues (brc.c); option immortal: types,functions,code,modules";
    }

    @Override
    public Object create(ComponentParameters parameters) {
        EnumSet<TypeKind> kinds = EnumSet.noneOf(TypeKind.class);
        for (String word : parameters.choices("immortal", IMMORTAL_KINDS)) {
            kinds.add(switch (word) {
                case "types" -> TypeKind.TYPE;
                case "functions" -> TypeKind.FUNCTION;
                case "code" -> TypeKind.CODE;
                default -> TypeKind.MODULE;
            });
        }
        parameters.checkAllUsed();
        return new BiasedRefCount(kinds);
    }
}
