package org.pxlab.stress.config;

import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.stress.support.Housekeeping;
import org.pxlab.stress.support.Pool;
import org.pxlab.stress.support.RuntimeRig;

/**
 * The race of {@link FineGrainedListAppends} and {@link FineGrainedGlobalListAppends}: two
 * runtime threads each append a new item to one shared list ({@code list.append}, in the
 * list's critical section); the arbiter checks that the list holds both, once each, alive with
 * one reference each, then empties it for the next sample.
 *
 * <p>Lists are per state, from a pool (jcstress keeps up to 10,240 states alive): each is made
 * once by the housekeeping thread and emptied by the arbiter, which pops (and so frees) the two
 * items, so live items never outnumber two per pooled list.
 */
final class SharedListAppends {
    /** What the arbiter reports beside the list's size. */
    static final int INTACT = 0, ITEM_MISSING = 1, ITEM_FREED = 2, COUNT_WRONG = 3;

    /** One state's list and the items the actors appended. */
    static final class Shared {
        long list;
        long first;
        long second;
    }

    private final RuntimeRig rig;
    private final Pool<Shared> pool = new Pool<>(Shared::new);

    SharedListAppends(String configuration) {
        this.rig = new RuntimeRig(configuration);
    }

    /** A state's list, made on first use by the housekeeping thread. */
    Shared take() {
        Shared s = pool.take();
        if (s.list == 0) {
            synchronized (Housekeeping.LOCK) {
                ThreadContext t = rig.housekeeping.thread();
                rig.runtime.attach(t);
                try {
                    s.list = rig.lists.newList(0, t);
                } finally {
                    rig.runtime.detach(t);
                }
            }
        }
        return s;
    }

    /** actor1: appends a new item through its own runtime thread. */
    void first(Shared s) {
        s.first = append(rig.mover, s.list);
    }

    /** actor2: the same through the other thread. */
    void second(Shared s) {
        s.second = append(rig.collecting, s.list);
    }

    private long append(Mutator m, long list) {
        ThreadContext t = m.thread();
        rig.runtime.attach(t);
        try {
            long item = rig.lists.newList(0, t);
            rig.lists.appendTake(list, item, t); // the list's reference is the item's only one
            m.jumpBackward();
            return item;
        } finally {
            rig.runtime.detach(t);
        }
    }

    /**
     * The arbiter: the list's size and a verdict, then the list emptied and given back. Reads
     * words only until it knows the items are alive.
     */
    void judge(Shared s, int[] sizeAndVerdict) {
        synchronized (Housekeeping.LOCK) {
            ThreadContext t = rig.housekeeping.thread();
            rig.runtime.attach(t);
            try {
                long size = rig.lists.size(s.list);
                int verdict = INTACT;
                long listType = rig.heap.types().listType();
                for (long item : new long[] {s.first, s.second}) {
                    int found = 0;
                    for (long k = 0; k < size; k++) if (rig.lists.getItem(s.list, k) == item) found++;
                    if (found != 1) verdict = Math.max(verdict, ITEM_MISSING);
                    else if (rig.heap.typeOf(item) != listType) verdict = Math.max(verdict, ITEM_FREED);
                    else if (rig.heap.referenceCount(item) != 1) verdict = Math.max(verdict, COUNT_WRONG);
                }
                sizeAndVerdict[0] = (int) size;
                sizeAndVerdict[1] = verdict;
                if (verdict == INTACT) {
                    while (rig.lists.size(s.list) > 0) rig.heap.decref(rig.lists.pop(s.list, -1, t), t);
                    pool.give(s);
                } // else: the list is left as the hazard left it, and not reused
            } finally {
                rig.runtime.detach(t);
            }
        }
    }
}
