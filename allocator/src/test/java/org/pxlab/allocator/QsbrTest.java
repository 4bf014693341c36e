package org.pxlab.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The QSBR domain against CPython's {@code qsbr.c}: sequences, deferred advance, the scan. */
class QsbrTest {
    private Qsbr qsbr;

    @AfterEach
    void release() {
        if (qsbr != null) qsbr.release();
    }

    @Test
    void theWriteSequenceStartsAtOneAndAdvancesByTwo() {
        qsbr = new Qsbr(1);
        assertThat(qsbr.current()).isEqualTo(Qsbr.INITIAL);
        assertThat(qsbr.sharedReadSequence()).isEqualTo(Qsbr.INITIAL);
        assertThat(qsbr.advance()).isEqualTo(3);
        assertThat(qsbr.advance()).isEqualTo(5);
        assertThat(qsbr.current()).isEqualTo(5);
    }

    @Test
    void deferredAdvanceMovesTheWriteSequenceEveryLimitThCall() {
        qsbr = new Qsbr(Qsbr.DEFAULT_DEFERRED_LIMIT);
        for (int i = 1; i < Qsbr.DEFAULT_DEFERRED_LIMIT; i++) {
            assertThat(qsbr.deferredAdvance(0)).as("deferral %d: the next sequence, not advanced", i).isEqualTo(3);
            assertThat(qsbr.current()).isEqualTo(1);
        }
        assertThat(qsbr.deferredAdvance(0)).as("the tenth advances").isEqualTo(3);
        assertThat(qsbr.current()).isEqualTo(3);
        // Counts are per thread: thread 1 starts its own.
        assertThat(qsbr.deferredAdvance(1)).isEqualTo(5);
        assertThat(qsbr.current()).isEqualTo(3);
        qsbr = replace(qsbr, new Qsbr(1));
        assertThat(qsbr.deferredAdvance(0)).isEqualTo(3);
        assertThat(qsbr.deferredAdvance(0)).isEqualTo(5);
    }

    @Test
    void aGoalIsReachedWhenEveryAttachedThreadHasObservedIt() {
        qsbr = new Qsbr(1);
        qsbr.attach(0);
        qsbr.attach(5);
        long goal = qsbr.advance();
        assertThat(qsbr.poll(goal)).as("nobody has passed a quiescent point").isFalse();
        qsbr.quiescent(0);
        assertThat(qsbr.readSequence(0)).isEqualTo(goal);
        assertThat(qsbr.poll(goal)).as("thread 5 has not").isFalse();
        assertThat(qsbr.sharedReadSequence()).isEqualTo(Qsbr.INITIAL);
        qsbr.quiescent(5);
        assertThat(qsbr.goalReached(goal)).as("the cache is only refreshed by a scan").isFalse();
        assertThat(qsbr.poll(goal)).isTrue();
        assertThat(qsbr.goalReached(goal)).isTrue();
        assertThat(qsbr.sharedReadSequence()).isEqualTo(goal);
    }

    @Test
    void detachedAndUnknownThreadsAreSkippedAndAttachDoesNotClaimAQuiescentState() {
        qsbr = new Qsbr(1);
        qsbr.attach(2);
        long goal = qsbr.advance();
        qsbr.attach(2); // already attached: keeps its old sequence
        assertThat(qsbr.readSequence(2)).isEqualTo(Qsbr.INITIAL);
        assertThat(qsbr.poll(goal)).isFalse();
        qsbr.detach(2);
        assertThat(qsbr.readSequence(2)).isEqualTo(Qsbr.OFFLINE);
        assertThat(qsbr.poll(goal)).as("no attached thread: reached at once").isTrue();
        long later = qsbr.advance();
        qsbr.attach(2);
        assertThat(qsbr.readSequence(2)).as("attaching observes the current sequence").isEqualTo(later);
        assertThat(qsbr.poll(later)).isTrue();
    }

    @Test
    void comparisonsAreWrapAroundSafe() {
        assertThat(Qsbr.lessThan(Long.MAX_VALUE, Long.MAX_VALUE + 2)).isTrue();
        assertThat(Qsbr.lessOrEqual(Long.MAX_VALUE + 2, Long.MAX_VALUE)).isFalse();
        assertThat(Qsbr.lessOrEqual(7, 7)).isTrue();
        assertThat(Qsbr.lessThan(7, 7)).isFalse();
    }

    private static Qsbr replace(Qsbr old, Qsbr fresh) {
        old.release();
        return fresh;
    }
}
