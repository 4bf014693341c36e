package org.pxlab.gc;

/**
 * Where a collector keeps {@code gc_refs} while it collects: in the {@code gc_prev} word of
 * {@code PyGC_Head} ({@link CycleCollector}, as {@code gcmodule.c}) or in a table beside the
 * heap ({@link StopTheWorldCollector}, where 3.13t reuses {@code ob_tid}). {@link ExternalReferences}
 * computes them through this interface, so both collectors share that step.
 */
interface GcRefs {
    /**
     * {@code visit_decref}: if {@code referent} belongs to the set being collected, one of its
     * references comes from inside the set, so its {@code gc_refs} goes down by one; any other
     * referent is left alone (and must not be written).
     */
    void decrefIfCollected(long referent);
}
