package org.pxlab.experiments.projection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pxlab.runtime.projection.MemoryObserver;

/** The coherence model's transitions on hand-built access sequences. */
class CoherenceModelTest {
    private final EventCounts counts = new EventCounts();
    private final CoherenceModel model = new CoherenceModel(counts);

    private long transfers() {
        return counts.total(Event.LINE_READ_TRANSFER) + counts.total(Event.LINE_WRITE_TRANSFER);
    }

    @Test
    void aWriteMovesTheLineAndAReadAddsASharer() {
        long line = 1000;
        model.write(line, 1);
        assertThat(counts.total(Event.LINE_COLD)).isEqualTo(1);
        assertThat(model.owner(line)).isEqualTo(1);
        assertThat(model.sharers(line)).isEqualTo(1L << 1);

        model.write(line, 1);                       // the owner writes again: silent
        assertThat(transfers()).isZero();

        model.read(line, 2);                        // a non-sharer reads: copied from core 1, owner downgraded
        assertThat(counts.on(2, Event.LINE_READ_TRANSFER)).isEqualTo(1);
        assertThat(model.owner(line)).isEqualTo(-1);
        assertThat(model.sharers(line)).isEqualTo((1L << 1) | (1L << 2));

        model.read(line, 1);                        // a sharer reads: a hit
        assertThat(transfers()).isEqualTo(1);

        model.write(line, 1);                       // core 2's copy is invalidated
        assertThat(counts.on(1, Event.LINE_WRITE_TRANSFER)).isEqualTo(1);
        assertThat(model.owner(line)).isEqualTo(1);
        assertThat(model.sharers(line)).isEqualTo(1L << 1);

        model.write(line, 2);                       // ownership moves to core 2
        assertThat(counts.on(2, Event.LINE_WRITE_TRANSFER)).isEqualTo(1);
        assertThat(model.owner(line)).isEqualTo(2);

        model.read(line, 3);
        model.write(line, 3);                       // core 2 still held a copy
        model.read(line, 3);                        // a hit
        assertThat(counts.on(3, Event.LINE_READ_TRANSFER)).isEqualTo(1);
        assertThat(counts.on(3, Event.LINE_WRITE_TRANSFER)).isEqualTo(1);
        assertThat(model.sharers(line)).isEqualTo(1L << 3);
        assertThat(transfers()).isEqualTo(5);
        model.write(99, 1);
        model.write(99, 2);
        assertThat(model.hottestLineTransfers()).isEqualTo(5);
        model.restartTransfers();
        model.write(99, 1);
        assertThat(model.hottestLineTransfers()).isEqualTo(1);
    }

    @Test
    void theOnlySharerUpgradesSilently() {
        model.read(7, 4);
        model.write(7, 4);
        assertThat(counts.total(Event.LINE_COLD)).isEqualTo(1);
        assertThat(transfers()).isZero();
        assertThat(model.owner(7)).isEqualTo(4);
    }

    @Test
    void anAccessTouchesEveryLineItSpansAndCountsOnce() {
        model.runAs(5);
        model.access(64 * 10 + 60, 8, MemoryObserver.STORE);         // lines 10 and 11
        assertThat(counts.on(5, Event.STORE)).isEqualTo(1);
        assertThat(counts.on(5, Event.LINE_COLD)).isEqualTo(2);
        assertThat(model.owner(10)).isEqualTo(5);
        assertThat(model.owner(11)).isEqualTo(5);
        model.runAs(6);
        model.access(64 * 11, 4096, MemoryObserver.LOAD);            // lines 11..74: one transfer, 63 cold
        assertThat(counts.on(6, Event.LOAD)).isEqualTo(1);
        assertThat(counts.on(6, Event.LINE_READ_TRANSFER)).isEqualTo(1);
        assertThat(counts.on(6, Event.LINE_COLD)).isEqualTo(63);
        model.access(64 * 10, 8, MemoryObserver.ATOMIC);
        assertThat(counts.on(6, Event.ATOMIC)).isEqualTo(1);
        assertThat(counts.on(6, Event.LINE_WRITE_TRANSFER)).isEqualTo(1);
        assertThat(model.atomics()).isEqualTo(1);
        assertThat(model.stores()).isEqualTo(1);
    }

    @Test
    void collectorAccessesAreChargedToTheCollector() {
        model.runAs(1);
        model.enterCollector();
        model.access(640, 8, MemoryObserver.STORE);
        model.exitCollector();
        model.access(640, 8, MemoryObserver.LOAD);
        assertThat(counts.on(1, Event.GC_ACCESS)).isEqualTo(1);
        assertThat(counts.on(1, Event.STORE)).isZero();
        assertThat(counts.on(1, Event.LOAD)).isEqualTo(1);
    }

    @Test
    void anotherJavaThreadIsTheMainThread() throws InterruptedException {
        model.runAs(3);
        Thread other = new Thread(() -> model.access(6400, 8, MemoryObserver.STORE));
        other.start();
        other.join();
        assertThat(counts.on(0, Event.STORE)).isEqualTo(1);
        assertThat(counts.on(3, Event.STORE)).isZero();
    }

    @Test
    void manyLinesSurviveTheTableGrowing() {
        for (long line = 1; line <= 20_000; line++) model.write(line, (int) (line % 8));
        for (long line = 1; line <= 20_000; line++) assertThat(model.owner(line)).isEqualTo((int) (line % 8));
        assertThat(counts.total(Event.LINE_COLD)).isEqualTo(20_000);
    }

    @Test
    void aBulkAccessCountsOnceAndTheLinesItsLengthNeedsAsBulkLines() {
        model.access(64 * 11 + 8, 4096, MemoryObserver.LOAD);         // 64 lines of bytes (spanning 65)
        assertThat(counts.total(Event.LOAD)).isEqualTo(1);
        assertThat(counts.total(Event.BULK_LINE)).isEqualTo(63);
        model.access(64 * 200 + 32, 64, MemoryObserver.STORE);        // one line's length: nothing more
        assertThat(counts.total(Event.BULK_LINE)).isEqualTo(63);
        model.access(64 * 300, 65, MemoryObserver.STORE);
        assertThat(counts.total(Event.BULK_LINE)).isEqualTo(64);
    }

    /** Line 7's address. */
    private static final long L = 64 * 7;

    @Test
    void aLineBothCoresHammerRacesOnEveryLaterAccess() {
        model.cores(2);
        model.runAs(1);
        model.access(L, 8, MemoryObserver.ATOMIC);                    // cold
        model.runAs(2);
        for (int i = 0; i < 4; i++) model.access(L, 8, MemoryObserver.ATOMIC);   // arrives, then 3 more
        model.runAs(1);                                               // ends core 2's turn: a = w = 4
        // (a - 1) min(1, (N - 1) w / a) = 3 x 1
        assertThat(counts.on(2, Event.LINE_RACE)).isEqualTo(3);
        assertThat(counts.on(2, Event.LINE_WRITE_TRANSFER)).isEqualTo(1);
        assertThat(model.hottestLineTransfers()).isEqualTo(1 + 3);
    }

    @Test
    void aLineWrittenOnceAndReadOftenRarelyRacesAndFractionsCarryOver() {
        model.cores(2);
        model.runAs(1);
        model.access(L, 8, MemoryObserver.STORE);
        for (int turn = 0; turn < 4; turn++) {
            model.runAs(2);
            model.access(L, 8, MemoryObserver.STORE);                 // arrives
            for (int i = 0; i < 3; i++) model.access(L, 8, MemoryObserver.LOAD);
            model.runAs(1);                                           // a = 4, w = 1: 3 x 1/4 = 0.75 races
            model.access(L, 8, MemoryObserver.STORE);                 // takes it back; alone in its turn: no race
        }
        model.endTurn();
        // 4 turns of 0.75: 3 whole races, counted as the fractions add up
        assertThat(counts.on(2, Event.LINE_RACE)).isEqualTo(3);
        assertThat(counts.on(1, Event.LINE_RACE)).isZero();
    }

    @Test
    void moreCoresRaceMoreAndOneCoreNever() {
        EventCounts four = new EventCounts();
        CoherenceModel m = new CoherenceModel(four);
        m.cores(4);
        m.runAs(1);
        m.access(L, 8, MemoryObserver.STORE);
        m.runAs(2);
        m.access(L, 8, MemoryObserver.STORE);
        for (int i = 0; i < 3; i++) m.access(L, 8, MemoryObserver.LOAD);
        m.endTurn();                                                  // 3 x min(1, 3 x 1 / 4) = 2.25
        assertThat(four.on(2, Event.LINE_RACE)).isEqualTo(2);

        model.runAs(1);
        model.access(L, 8, MemoryObserver.STORE);
        model.runAs(2);
        for (int i = 0; i < 4; i++) model.access(L, 8, MemoryObserver.ATOMIC);
        model.endTurn();                                              // N = 1 (the default): no other core
        assertThat(counts.total(Event.LINE_RACE)).isZero();
    }
    /** Fills core {@code c}'s turn with {@code n} stores to its own lines (never shared: no transfer, no race). */
    private static void ownWork(CoherenceModel m, int c, int n) {
        for (int i = 0; i < n; i++) m.access(64L * (100_000 * c + i % 50), 8, MemoryObserver.STORE);
    }

    /** Ten turns each of cores 1 and 2, core 2's 4 atomics on line L bunched or spread over its 100 accesses; core 2's races. */
    private static long racesOfCore2(int cores, boolean spread) {
        EventCounts c = new EventCounts();
        CoherenceModel m = new CoherenceModel(c);
        m.cores(cores);
        for (int turn = 0; turn < 10; turn++) {
            m.runAs(1);
            m.access(L, 8, MemoryObserver.ATOMIC);
            ownWork(m, 1, 99);
            m.runAs(2);
            for (int k = 0; k < 4; k++) {
                m.access(L, 8, MemoryObserver.ATOMIC);
                ownWork(m, 2, spread ? (k == 3 ? 0 : 32) : (k == 3 ? 96 : 0));
            }
        }
        m.endTurn();
        assertThat(c.on(2, Event.LINE_WRITE_TRANSFER)).isEqualTo(10);
        return c.on(2, Event.LINE_RACE);
    }

    @Test
    void bunchedAccessesRaceLessThanTheSameAccessesSpreadOverTheRequest() {
        // a = w = 4 in a turn of A = 100 accesses: bunched, S = 3; spread, S = 3 x 33 = 99
        long bunched = racesOfCore2(2, false);
        long spread = racesOfCore2(2, true);
        // 10 turns of min(3, 1 x 4 x 3 / 100) = 0.12 and of min(3, 1 x 4 x 99 / 100) = 3
        assertThat(bunched).isEqualTo((long) (10 * CoherenceModel.races(4, 4, 3, 3, 100, 2) + 1e-9)).isEqualTo(1);
        assertThat(spread).isEqualTo(30);
        assertThat(bunched).isLessThan(spread / 10);
    }

    @Test
    void aHammeredLineSpanningTheRequestRacesOnEveryLaterAccessAtManyCores() {
        // spread over the request at N = 32: min(3, 31 x 4 x 99 / 100) = a - 1 per turn
        assertThat(racesOfCore2(32, true)).isEqualTo(10 * 3);
        // bunched, 31 other cores writing it 4 times a request still land 3.72 writes in a span of 3: a - 1 too
        assertThat(racesOfCore2(32, false)).isEqualTo(10 * 3);
        // at N = 4, 3 x 4 x 3 / 100 = 0.36 a turn
        assertThat(racesOfCore2(4, false)).isEqualTo(3);
        assertThat(racesOfCore2(1, true)).isZero();
        assertThat(racesOfCore2(1, false)).isZero();
    }

    @Test
    void othersReadsCountBeforeOurWritesNotBeforeOurReads() {
        EventCounts c = new EventCounts();
        CoherenceModel m = new CoherenceModel(c);
        m.cores(2);
        long readThenWritten = 0;
        long writtenThenRead = 0;
        for (int turn = 0; turn < 4; turn++) {
            m.runAs(1);
            m.access(L, 8, MemoryObserver.STORE);
            m.runAs(2);                                               // arrives by a read; written last
            for (int i = 0; i < 3; i++) m.access(L, 8, MemoryObserver.LOAD);
            m.access(L, 8, MemoryObserver.STORE);
            m.runAs(3);
            m.access(L, 8, MemoryObserver.STORE);
            m.runAs(4);                                               // arrives by a write; only read after
            m.access(L, 8, MemoryObserver.STORE);
            for (int i = 0; i < 3; i++) m.access(L, 8, MemoryObserver.LOAD);
        }
        m.endTurn();
        // a = 4, w = 1, S / A = 3 / 4: the other core's 3 reads each precede our write with chance 1/3,
        // so (1 + 3 x 1/3) x 3/4 = 1.5 a turn; written first and then read, only its write: 0.75
        assertThat(c.on(2, Event.LINE_RACE)).isEqualTo(6);
        assertThat(c.on(4, Event.LINE_RACE)).isEqualTo(3);
    }
}
