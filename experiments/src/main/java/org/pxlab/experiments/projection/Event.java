package org.pxlab.experiments.projection;

/**
 * What a counting run counts, per logical core. Each kind is counted at one place, named here.
 */
public enum Event {
    /** A request served (the counting run's turns after warm-up). */
    REQUEST,
    /** A refcount operation that wrote the count with a plain store, by the thread that created the object. */
    REFCOUNT_PLAIN_OWNER,
    /** A plain-store refcount operation on an object another thread created (a biased count's owner path never lands here). */
    REFCOUNT_PLAIN_OTHER,
    /** A refcount operation that made an atomic read-modify-write, on an object its thread created. */
    REFCOUNT_ATOMIC_OWNER,
    /** An atomic refcount operation on an object another thread created. */
    REFCOUNT_ATOMIC_OTHER,
    /** A refcount operation that wrote nothing (an immortal object, an elided count). */
    REFCOUNT_NO_WRITE,
    /** A lock acquisition (a critical section's atomic on the lock word) whose lock this core took last, or nobody. */
    LOCK_LOCAL,
    /**
     * A lock acquisition whose lock another core took last: its word moves between cores.
     * Under true concurrency such a lock may also be found held; the cost model estimates how
     * often from the lock's utilisation.
     */
    LOCK_REMOTE,
    /** A block handed out by an allocator. */
    ALLOCATION,
    /** A block taken back (freed at once or delayed). */
    FREE,
    /** A block taken back by a thread other than the one it was allocated by (mimalloc's delayed cross-thread free). */
    FREE_REMOTE,
    /** A context arena's snapshot (PyParallel: before each request). */
    ARENA_SNAPSHOT,
    /** A context arena's rollback (PyParallel: when the response is sent). */
    ARENA_ROLLBACK,
    /** A collection that ran (the collector's own count went up). */
    GC_COLLECTION,
    /** Objects a collection visited. */
    GC_OBJECT_VISITED,
    /** Accesses to simulated memory made inside a collector's poll or collect. */
    GC_ACCESS,
    /** A stop-the-world request. */
    STOP_THE_WORLD,
    /** A core other than the requester that a stop-the-world has to wait for (logical cores minus one, per stop). */
    SAFEPOINT_WAIT,
    /** A load from simulated memory by mutator code (allocators and refcounts included, collectors not). */
    LOAD,
    /** A store to simulated memory by mutator code. */
    STORE,
    /** An atomic read-modify-write on simulated memory by mutator code. */
    ATOMIC,
    /** A read of a 64-byte line the core did not hold while another core did: a cache-to-cache transfer. */
    LINE_READ_TRANSFER,
    /** A write to a line another core held: its ownership moves to the writer (and other copies are invalidated). */
    LINE_WRITE_TRANSFER,
    /** A first touch of a line no core held (a compulsory miss, not a transfer). */
    LINE_COLD,
    /**
     * A 64-byte line a bulk access (a copy, a fill) needs beyond its first, by its length: a
     * load, store or atomic counts once however many bytes it moves, so this counts the rest.
     * Not priced by the cost model (a fit gave it no weight); printed with the counts.
     */
    BULK_LINE,
    /**
     * Transfers the request-by-request interleaving cannot see, estimated by the coherence
     * model: for each line that came from another core during a turn, its later accesses in
     * that turn, each weighted by the chance that another core, running at the same time,
     * wrote the line in between ({@link CoherenceModel}).
     */
    LINE_RACE;

    private static final Event[] ALL = values();

    /** Every kind, in declaration order (a shared array: do not modify). */
    static Event[] all() {
        return ALL;
    }
}
