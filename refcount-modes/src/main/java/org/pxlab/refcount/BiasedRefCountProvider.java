package org.pxlab.refcount;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/**
 * Registers {@link BiasedRefCount} as {@code biased}. Its modifiers, each a comma-separated
 * subset of kinds:
 * <ul>
 * <li>{@code immortal} ({@code types}, {@code functions}, {@code code}, {@code modules}): objects
 *     of those kinds are immortal from their creation, as 3.13t immortalizes its deferred
 *     objects ({@code _PyGC_ImmortalizeDeferredObjects}). Statics (built-in types, small ints,
 *     singletons) and interned strings are immortal in every configuration already.</li>
 * <li>{@code deferred} (the same words): deferred from their creation, as 3.14t's
 *     {@code _PyObject_SetDeferredRefcount}: frames hold them uncounted, only the stop-the-world
 *     collector frees them.</li>
 * <li>{@code per-thread-slots} ({@code types}, {@code code}): a unique id and per-thread counts
 *     for instance-to-type and function-to-code references (3.14t's {@code uniqueid.c}); the
 *     kinds are deferred too.</li>
 * </ul>
 * A kind may not be both immortal and deferred.
 */
public final class BiasedRefCountProvider implements ComponentProvider {
    /** The words option {@code immortal} accepts. */
    public static final List<String> IMMORTAL_KINDS = List.of("types", "functions", "code", "modules");
    /** The words option {@code per-thread-slots} accepts. */
    public static final List<String> SLOT_KINDS = List.of("types", "code");

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
                + " merge queues (brc.c); options immortal and deferred: types,functions,code,modules;"
                + " per-thread-slots: types,code (3.14t)";
    }

    @Override
    public Object create(ComponentParameters parameters) {
        Set<TypeKind> immortal = kinds(parameters.choices("immortal", IMMORTAL_KINDS));
        Set<TypeKind> deferred = kinds(parameters.choices("deferred", IMMORTAL_KINDS));
        Set<TypeKind> slots = kinds(parameters.choices("per-thread-slots", SLOT_KINDS));
        parameters.checkAllUsed();
        for (TypeKind k : immortal) {
            if (deferred.contains(k) || slots.contains(k)) {
                throw new ConfigurationException("biased.immortal", k.name().toLowerCase(java.util.Locale.ROOT),
                        "kinds that are not also deferred or per-thread-slots");
            }
        }
        return new BiasedRefCount(immortal, deferred, slots);
    }

    private static Set<TypeKind> kinds(List<String> words) {
        EnumSet<TypeKind> kinds = EnumSet.noneOf(TypeKind.class);
        for (String word : words) {
            kinds.add(switch (word) {
                case "types" -> TypeKind.TYPE;
                case "functions" -> TypeKind.FUNCTION;
                case "code" -> TypeKind.CODE;
                default -> TypeKind.MODULE;
            });
        }
        return kinds;
    }
}
