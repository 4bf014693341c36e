package org.pxlab.runtime.sync;

import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/**
 * Registers {@link PerObjectLocks} as the sync discipline {@code per-object-locks}.
 *
 * <p>Option: {@code reads}, {@code optimistic} (default; CPython's lock-free list and dict
 * reads) or {@code locked} (every read in a critical section).
 *
 * <p>{@link ComponentParameters} has typed getters for numbers and booleans only. Until it has
 * a getter for a choice among words, the raw value is recovered from the getters themselves:
 * two {@code booleanValue} reads with opposite defaults tell an absent option (they differ)
 * from a present one, and a present value that is not a boolean comes back in the
 * {@link ConfigurationException} they throw.
 */
public final class PerObjectLocksProvider implements ComponentProvider {
    /** The option choosing how container reads are made. */
    public static final String READS = "reads";

    /** {@link ComponentKind#SYNC}. */
    @Override
    public ComponentKind kind() {
        return ComponentKind.SYNC;
    }

    /** {@code per-object-locks}. */
    @Override
    public String name() {
        return "per-object-locks";
    }

    /** One line for {@code pxlab list}. */
    @Override
    public String description() {
        return "PEP 703's per-object PyMutex (Python/lock.c, parking_lot.c) and critical sections (critical_section.c):"
                + " spin then park, 1 ms hand-off, suspension on detach";
    }

    /**
     * A fresh {@link PerObjectLocks}.
     *
     * @throws ConfigurationException if {@code reads} is not {@code optimistic} or
     *         {@code locked}, or an unknown option is given
     */
    @Override
    public Object create(ComponentParameters parameters) {
        PerObjectLocks.Reads reads = reads(parameters);
        parameters.checkAllUsed();
        return new PerObjectLocks(reads);
    }

    private static PerObjectLocks.Reads reads(ComponentParameters parameters) {
        String raw;
        try {
            boolean ifAbsentTrue = parameters.booleanValue(READS, true);
            boolean ifAbsentFalse = parameters.booleanValue(READS, false);
            if (ifAbsentTrue != ifAbsentFalse) return PerObjectLocks.Reads.OPTIMISTIC;
            raw = Boolean.toString(ifAbsentTrue);
        } catch (ConfigurationException e) {
            raw = e.value();
        }
        for (PerObjectLocks.Reads r : PerObjectLocks.Reads.values()) {
            if (r.option().equals(raw.trim())) return r;
        }
        throw new ConfigurationException("per-object-locks." + READS, raw, "optimistic or locked");
    }
}
