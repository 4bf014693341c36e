package org.pxlab.stress.split;

import org.openjdk.jcstress.infra.results.LLL_Result;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.Dicts;
import org.pxlab.runtime.object.PersistenceViolation;
import org.pxlab.stress.support.Pool;

/**
 * The race of {@link CompleteGuardRefusesPersistence} and {@link FaithfulGuardDanglingControl}:
 * a parallel context stores one of its request's objects into a main dict and ends the request,
 * while the main thread reads the dict.
 *
 * <h2>One sample</h2>
 * A pooled <em>board</em>: a main dict holding one main key bound to {@code None}, made once
 * and reused (no resize can happen: the key is present).
 * <ul>
 * <li>actor1, the parallel context: begins a request, makes a list in it (a parallel object),
 *     {@code d[key] = list} through {@link Dicts#setItem} (the guard's owner test runs there),
 *     then ends the request, which rolls the context's heap back to its snapshot and zeroes
 *     what the request bumped. Reports {@code refused} (a {@link PersistenceViolation}) or
 *     {@code stored}.</li>
 * <li>actor2, the main thread, holding the GIL: reads {@code d[key]} (borrowed, as
 *     {@code PyDict_GetItem}) and the type word of what it finds.</li>
 * <li>The arbiter reads {@code d[key]} and its type word once both are done: after the
 *     rollback.</li>
 * </ul>
 * A reading is {@code None}, {@code parallel list} (a live object of the context),
 * {@code type 0} (the object's memory was rolled back and zeroed: a dangling reference), or
 * {@code other}. Type words are compared, never followed, so a dangling reference is seen
 * without being used.
 *
 * <h2>Resetting a dangling entry</h2>
 * The board is reused, so an entry left dangling must go back to {@code None}. Storing through
 * the dict would release the old value: a decrement on rolled-back memory that the next request
 * reuses. The arbiter instead finds the one word of the dict's keys block that holds the
 * dangling address and overwrites it with {@code None} (immortal: no count to give), which
 * is what the store would have left, minus the release.
 */
final class PersistenceRace {
    static final String REFUSED = "refused", STORED = "stored";
    static final String NONE = "None", PARALLEL_LIST = "parallel list", TYPE_ZERO = "type 0", OTHER = "other";

    /** A main dict with one key, reused by one state at a time. */
    static final class Board {
        long dict;
        long key;
    }

    private final SplitBrainRig rig;
    private final Pool<Board> boards;

    PersistenceRace(boolean faithful) {
        rig = new SplitBrainRig(faithful);
        boards = new Pool<>(() -> rig.housekeeping(() -> {
            Board b = new Board();
            b.dict = rig.heap.dicts().newDict(SplitBrainRig.HOUSEKEEPING);
            b.key = rig.heap.strings().newStr("persisted", SplitBrainRig.HOUSEKEEPING);
            rig.heap.dicts().setItem(b.dict, b.key, rig.heap.types().none(), SplitBrainRig.HOUSEKEEPING);
            return b;
        }));
    }

    Board take() {
        return boards.take();
    }

    /** actor1: store a request's list into the main dict, then end the request. */
    String persist(Board b) {
        var t = SplitBrainRig.PARALLEL;
        rig.sync.beginRequest(t);
        try {
            long list = rig.heap.lists().newList(0, t);
            rig.heap.dicts().setItem(b.dict, b.key, list, t);
            return STORED;
        } catch (PersistenceViolation refused) {
            return REFUSED;
        } finally {
            rig.sync.endRequest(t);
        }
    }

    /** actor2: the main thread reads the entry. */
    String readAsMain(Board b) {
        String[] seen = new String[1];
        rig.asMain(() -> seen[0] = describe(rig.heap.dicts().getItem(b.dict, b.key)));
        return seen[0];
    }

    /** The arbiter: reads the entry after the rollback, resets it, gives the board back. */
    void judge(Board b, LLL_Result r) {
        rig.housekeeping(() -> {
            long value = rig.heap.dicts().getItem(b.dict, b.key);
            r.r3 = describe(value);
            if (value != rig.heap.types().none()) unpersist(b, value);
            return null;
        });
        boards.give(b);
    }

    private String describe(long value) {
        if (value == rig.heap.types().none()) return NONE;
        if (value == 0) return OTHER;
        long type = rig.heap.typeOf(value);
        if (type == 0) return TYPE_ZERO;
        return type == rig.heap.types().listType() ? PARALLEL_LIST : OTHER;
    }

    /** Overwrites the keys-block word holding {@code value} with None, releasing nothing. */
    private void unpersist(Board b, long value) {
        long keys = Memory.getLong(b.dict + rig.heap.bodyOffset() + Dicts.KEYS);
        long bytes = Dicts.keysBlockSize(Long.numberOfTrailingZeros(rig.heap.dicts().tableSize(b.dict)));
        for (long at = keys; at < keys + bytes; at += 8) {
            if (Memory.getLong(at) == value) {
                Memory.putLong(at, rig.heap.types().none());
                return;
            }
        }
        throw new IllegalStateException("the dangling value 0x" + Long.toHexString(value) + " is not in the keys block");
    }
}
