package org.pxlab.stress.split;

import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.CriticalSections;
import org.pxlab.stress.support.Pool;

/**
 * The race of {@link ProtectedRemovalUnderParallelReader} and
 * {@link UnprotectedRemovalControl}: the main thread deletes a value from a main dict (its
 * last reference: the value is freed) while parallel code reads that value. This is
 * split-brain's {@code callIntoMain} overlap: a parallel context's call into main runs there
 * while the context goes on, and main code may free what the context still reads, since
 * parallel code's references are never counted ({@code elided}).
 *
 * <h2>One sample</h2>
 * A pooled main dict with one main key, protected ({@code async.protect}) or not. Each state
 * binds the key to a fresh main {@code str} (the dict holds its only reference) and records
 * the value's type word and body.
 * <ul>
 * <li>actor1, parallel code in its context. <em>Protected:</em> it enters the dict's critical
 *     section (from a parallel thread: the main role, i.e. the GIL, then the object's lock),
 *     looks the key up and reads the value's type word and body {@value #PASSES} times over
 *     before it leaves. <em>Unprotected:</em> it looked the value up before (it holds the
 *     pointer, uncounted, as parallel code holds everything it reads) and reads it the same
 *     way with no lock, since the dict has none.</li>
 * <li>actor2, the main thread (holding the GIL): {@code del d[key]}, through the dict's
 *     critical section (the protected dict's lock; nothing for an unprotected one). The value's
 *     count drops to 0 and pymalloc frees (and, in poisoned runs, poisons) it.</li>
 * </ul>
 * The reader reports {@code absent} (the key was gone when it looked), {@code intact} (type
 * word and body as recorded throughout), {@code freed under the reader} (poison seen) or
 * {@code torn} (neither: a mix of the value and something else).
 *
 * <h2>Why the unprotected reader does not look the key up in the race</h2>
 * A lookup racing a deletion in an unprotected dict can load an entry whose key was just
 * cleared and compare against a NULL key (a checked access: an exception, i.e. an error in
 * the run, not an outcome). The hazard this control is about is the value freed under a
 * parallel reference, so the reader takes the pointer before the race, as a context that
 * looked a global up at the start of a request would.
 */
final class MainRemovalRace {
    static final String ABSENT = "absent", INTACT = "intact", FREED = "freed under the reader", TORN = "torn";
    /** Passes of the reader over the value. */
    static final int PASSES = 8;
    /** The value's text: long enough for a body of several words. */
    private static final String TEXT = "a main value that main deletes while parallel code reads it";

    /** One state's dict, key, value and the value's recorded words. */
    static final class Board {
        long dict;
        long key;
        long value;
        long type;
        long[] body;
    }

    private final SplitBrainRig rig = new SplitBrainRig(false);
    /** Where the header keeps ob_type: the reader loads it with an opaque load itself. */
    private final int typeOffset = rig.heap.header().offsetOf("ob_type");
    private final boolean protectedDict;
    private final Pool<Board> boards;

    MainRemovalRace(boolean protectedDict) {
        this.protectedDict = protectedDict;
        boards = new Pool<>(() -> rig.housekeeping(() -> {
            Board b = new Board();
            b.dict = rig.heap.dicts().newDict(SplitBrainRig.HOUSEKEEPING);
            b.key = rig.heap.strings().newStr("doomed", SplitBrainRig.HOUSEKEEPING);
            rig.heap.dicts().hashOf(b.key); // cached now, never while the actors run
            if (protectedDict) rig.sync.protect(b.dict, SplitBrainRig.HOUSEKEEPING);
            return b;
        }));
    }

    /** A board whose dict binds the key to a fresh value (its only reference). */
    Board take() {
        Board b = boards.take();
        rig.housekeeping(() -> {
            var t = SplitBrainRig.HOUSEKEEPING;
            long value = rig.heap.strings().newStr(TEXT, t);
            rig.heap.dicts().setItem(b.dict, b.key, value, t);
            rig.heap.decref(value, t);
            b.value = value;
            b.type = rig.heap.typeOf(value);
            int words = (int) ((rig.heap.blockSize(value) - rig.heap.bodyOffset()) / 8);
            if (b.body == null || b.body.length != words) b.body = new long[words];
            for (int i = 0; i < words; i++) b.body[i] = Memory.getLong(value + rig.heap.bodyOffset() + 8L * i);
            return null;
        });
        return b;
    }

    /** actor1: parallel code reads the value. */
    String read(Board b) {
        var t = SplitBrainRig.PARALLEL;
        if (!protectedDict) return inspect(b, b.value);
        CriticalSections cs = rig.heap.sections();
        cs.enter(b.dict, t);
        try {
            long value = rig.heap.dicts().getItem(b.dict, b.key);
            return value == 0 ? ABSENT : inspect(b, value);
        } finally {
            cs.exit(b.dict, t);
        }
    }

    /** actor2: the main thread deletes the key, freeing the value. */
    void removeAsMain(Board b) {
        rig.asMain(() -> rig.heap.dicts().delItem(b.dict, b.key, SplitBrainRig.MAIN));
    }

    /** The arbiter: the board goes back (its dict is empty again). */
    void give(Board b) {
        boards.give(b);
    }

    private String inspect(Board b, long value) {
        boolean poison = false, torn = false;
        long body = value + rig.heap.bodyOffset();
        for (int pass = 0; pass < PASSES; pass++) {
            long type = Memory.getLongOpaque(value + typeOffset);
            if (type == Memory.POISON_WORD) poison = true;
            else if (type != b.type) torn = true;
            for (int i = 0; i < b.body.length; i++) {
                long w = Memory.getLongOpaque(body + 8L * i);
                if (w == Memory.POISON_WORD) poison = true;
                else if (w != b.body[i]) torn = true;
            }
        }
        return poison ? FREED : torn ? TORN : INTACT;
    }
}
