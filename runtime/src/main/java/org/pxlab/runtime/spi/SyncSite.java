package org.pxlab.runtime.spi;

import org.pxlab.runtime.exec.ThreadContext;

/** What a sync discipline may ask of the runtime: its eval-breaker bit and the runtime's attached threads. */
public interface SyncSite {
    /** The bit of {@link ThreadContext#evalBreaker()} that calls the discipline's poll. */
    int breakerBit();

    /** Sets the discipline's bit on one thread (e.g. the GIL holder, asked to drop it). */
    void schedule(ThreadContext thread);
}
