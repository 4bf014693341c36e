package org.pxlab.stress.split;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;
import org.pxlab.stress.support.Pool;

/*
    The claim: on a whole `split-brain` runtime, two parallel contexts storing into one
    async.protect-ed dict at once (PyParallel's sanctioned way for parallel code to update
    shared state) never lose a store, never tear the dict, and never miscount a value: each
    store runs in the dict's critical section, which from a parallel thread takes the main
    role (the GIL) and then the protection's lock, so the two stores happen one after the
    other, each as main (values stored gain main references; a replaced value is released as
    main, inside the section).

    The race (SplitBrainRig: one runtime per JVM, two threads each serving a connection in a
    parallel context of its own): the state's protected dict is empty; two main values v1, v2
    (one reference each, the board's). actor1, in a request of its context, makes its keys as
    request code does (strings in its request heap: k1 and the shared key k) and stores
    k1 -> v1 and then k -> v1; actor2, in a request of the other context, stores k2 -> v2 and
    then k -> v2: one distinct key each and one key both write (the second store replaces the
    first). A key stored new is copied into the main heap (it would otherwise die with the
    request); both requests then roll back. The arbiter, holding the GIL, checks the dict and
    the counts (looking the keys up by equal main strings), then empties the dict.

    Keys made by main code (main objects) are covered by SplitBrainTest: a replace from
    parallel code under a main key used to drop a reference the key never got (its increment
    was elided in parallel code); the guard now gives it that increment (DICT_REPLACE_KEY).

    Outcomes (the dict as the arbiter finds it):
      first won     k maps to v1 (actor2's store of k came first and was replaced); k1, k2
                    present; v1 has 3 references (board, k1, k), v2 has 2 (board, k2): the
                    replaced reference was released.
      second won    the same with the roles swapped.
      lost store    FORBIDDEN: the dict lacks k1, k2 or k, or has other than 3 entries.
      count wrong   FORBIDDEN: a value's count is not what its entries and the board hold
                    (a replaced value not released, or released twice, or counted in parallel).
      others        FORBIDDEN.
 */
@JCStressTest
@Covers(hazards = Hazard.PROTECTED_OBJECT_UPDATE, configurations = {"split-brain"},
        setup = "whole `split-brain` runtime, two parallel contexts storing into one `async.protect`ed dict")
@Description("split-brain: two parallel contexts store into one async.protect-ed dict at once (distinct keys and one shared key)")
@Outcome(id = ProtectedStoresFromTwoContexts.FIRST_WON, expect = ACCEPTABLE, desc = "actor1's store of the shared key came last; every entry and count right.")
@Outcome(id = ProtectedStoresFromTwoContexts.SECOND_WON, expect = ACCEPTABLE, desc = "actor2's store of the shared key came last; every entry and count right.")
@Outcome(id = ProtectedStoresFromTwoContexts.LOST, expect = FORBIDDEN, desc = "A store was lost, or the dict has extra entries.")
@Outcome(id = ProtectedStoresFromTwoContexts.COUNT_WRONG, expect = FORBIDDEN, desc = "A value's reference count is wrong.")
@Outcome(expect = FORBIDDEN, desc = "Not a verdict this test reports.")
@State
public class ProtectedStoresFromTwoContexts {
    static final String FIRST_WON = "first won", SECOND_WON = "second won", LOST = "lost store", COUNT_WRONG = "count wrong";

    /** One state's protected dict, main keys equal to the actors' (for the arbiter's lookups), and values; made once per board. */
    static final class Board {
        long dict;
        long k1;
        long k2;
        long shared;
        long v1;
        long v2;
    }

    static final String FIRST_KEY = "first's key", SECOND_KEY = "second's key", SHARED_KEY = "the shared key";

    private static final SplitBrainRig RIG = new SplitBrainRig(false);
    private static final Pool<Board> BOARDS = new Pool<>(() -> RIG.housekeeping(() -> {
        ThreadContext t = SplitBrainRig.HOUSEKEEPING;
        Board b = new Board();
        b.dict = RIG.heap.dicts().newDict(t);
        RIG.sync.protect(b.dict, t);
        b.k1 = RIG.heap.strings().newStr(FIRST_KEY, t);
        b.k2 = RIG.heap.strings().newStr(SECOND_KEY, t);
        b.shared = RIG.heap.strings().newStr(SHARED_KEY, t);
        for (long k : new long[] {b.k1, b.k2, b.shared}) RIG.heap.dicts().hashOf(k); // cached now, not in the race
        b.v1 = RIG.heap.strings().newStr("first's value", t);
        b.v2 = RIG.heap.strings().newStr("second's value", t);
        return b;
    }));

    private final Board board = BOARDS.take();

    @Actor
    public void actor1() {
        store(SplitBrainRig.PARALLEL, FIRST_KEY, board.v1);
    }

    @Actor
    public void actor2() {
        store(SplitBrainRig.PARALLEL_SECOND, SECOND_KEY, board.v2);
    }

    /** In a request of the thread's context: its own key, then the shared one, both to {@code value}. */
    private void store(ThreadContext t, String own, long value) {
        RIG.sync.beginRequest(t);
        try {
            RIG.heap.dicts().setItem(board.dict, RIG.heap.strings().newStr(own, t), value, t);
            RIG.heap.dicts().setItem(board.dict, RIG.heap.strings().newStr(SHARED_KEY, t), value, t);
        } finally {
            RIG.sync.endRequest(t);
        }
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = RIG.housekeeping(() -> {
            ThreadContext t = SplitBrainRig.HOUSEKEEPING;
            Board b = board;
            long winner = RIG.heap.dicts().getItem(b.dict, b.shared);
            String verdict;
            if (RIG.heap.dicts().size(b.dict) != 3 || RIG.heap.dicts().getItem(b.dict, b.k1) != b.v1
                    || RIG.heap.dicts().getItem(b.dict, b.k2) != b.v2 || (winner != b.v1 && winner != b.v2)) {
                verdict = LOST;
            } else {
                long loser = winner == b.v1 ? b.v2 : b.v1;
                verdict = RIG.heap.referenceCount(winner) != 3 || RIG.heap.referenceCount(loser) != 2 ? COUNT_WRONG
                        : winner == b.v1 ? FIRST_WON : SECOND_WON;
            }
            if (verdict.equals(LOST) || verdict.equals(COUNT_WRONG)) return verdict; // the board is left as the hazard left it
            for (long k : new long[] {b.k1, b.k2, b.shared}) RIG.heap.dicts().delItem(b.dict, k, t);
            BOARDS.give(b);
            return verdict;
        });
    }
}
