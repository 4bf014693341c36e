package org.pxlab.stress.template;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.spi.SyncDiscipline;
import org.pxlab.stress.support.Components;

/**
 * The component a template test races, named by a system property, and the lock it needs:
 * none if the component says it is thread safe, else one {@code gil} shared by every state,
 * which is how the registry lets a configuration use it (a component that is not thread safe
 * needs a sync discipline that serialises mutators).
 */
final class TemplateSubject {
    /** Names the allocator of the allocator template. */
    static final String ALLOCATOR = "pxlab.stress.allocator";
    /** Names the refcount strategy of the refcount templates. */
    static final String REFCOUNT = "pxlab.stress.refcount";

    /** The templates' components when no property names one: thread-safe built-ins, so the suite's own run exercises them. */
    static final String DEFAULT_ALLOCATOR = "thread-sharded";
    static final String DEFAULT_REFCOUNT = "interlocked";

    private final SyncDiscipline gil;

    TemplateSubject(boolean threadSafe) {
        this.gil = threadSafe ? null : Components.sync("gil");
    }

    static String allocator() {
        return System.getProperty(ALLOCATOR, DEFAULT_ALLOCATOR);
    }

    static String refcount() {
        return System.getProperty(REFCOUNT, DEFAULT_REFCOUNT);
    }

    /** Before an actor's calls: takes the GIL if the component needs it. */
    void enter(ThreadContext thread) {
        if (gil != null) gil.attach(thread);
    }

    /** After them. */
    void exit(ThreadContext thread) {
        if (gil != null) gil.detach(thread);
    }
}
