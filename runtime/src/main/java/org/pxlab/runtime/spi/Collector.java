package org.pxlab.runtime.spi;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.object.Heap;

/**
 * Reclaims what reference counting alone cannot (cycles) or what a space frees wholesale
 * (an arena at the end of a parallel context).
 *
 * <p>A collector serves one space. It may ask for a <em>pre-header</em> on the objects it
 * tracks (CPython's {@code PyGC_Head}: 16 bytes in front of every tracked container), and
 * is told when such an object is created and before it is freed. It runs only when the
 * runtime lets it: at an eval-breaker check ({@link #poll}), where no Java code holds a
 * simulated address without a counted reference, or when asked explicitly
 * ({@link #collect}).
 *
 * <p>Collectors reach objects only through the {@link Heap}: the type-driven traversal of
 * an object's references, reference counts, and deallocation.
 */
public interface Collector {

    /**
     * Fields of the pre-header placed in front of each tracked object (empty if none). The
     * runtime composes them into a struct that ends where the object's header begins.
     */
    List<HeaderField> preHeaderFields();

    /** Called once when the configuration is assembled, before any object exists. */
    void bind(Heap heap, CollectorSite site);

    /**
     * A new container object of the space exists and its fields are initialised
     * ({@code PyObject_GC_Track}). Only objects whose type is a container are passed.
     */
    void track(long object, ThreadContext thread);

    /**
     * The object is about to be freed ({@code PyObject_GC_UnTrack} followed by
     * {@code PyObject_GC_Del}): the runtime calls this only from deallocation, so a collector
     * may count it as a free (CPython lowers the generation-0 count here).
     */
    void untrack(long object, ThreadContext thread);

    /**
     * An eval-breaker check on {@code thread} (function entry, after a call into C, a backward jump). Runs a collection
     * that was scheduled, if this thread may run it. Called only when the thread's
     * {@link ThreadContext#evalBreaker() eval breaker} has this collector's bit set.
     */
    void poll(ThreadContext thread);

    /**
     * Collects now ({@code gc.collect(generation)}).
     *
     * @param generation the oldest generation to collect; collectors without generations ignore it
     * @return the number of objects freed
     */
    long collect(int generation, ThreadContext thread);

    /** Counters of work done so far. */
    CollectorStatistics statistics();
}
