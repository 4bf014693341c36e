package org.pxlab.experiments.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pxlab.experiments.projection.OutOfSampleCheck.Case;
import org.pxlab.experiments.projection.OutOfSampleCheck.Direction;
import org.pxlab.experiments.projection.OutOfSampleCheck.Figure;
import org.pxlab.experiments.projection.OutOfSampleCheck.Result;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.spi.ComponentParameters;

/** The out-of-sample checks' arithmetic on counts made by hand, then on a small real counting run. */
class OutOfSampleCheckTest {
    /** a = 1, b = 0, x = c = 40, l = 10 ns. */
    private static final CostModel MODEL = new CostModel(new Calibration(1, 0, 40, 40, 10, "test", "test"));

    /** 100 requests of 100 loads each; {@code transfers} write transfers per request, all on one line. */
    private static EventCounts counts(int transfers) {
        EventCounts c = new EventCounts();
        c.add(1, Event.REQUEST, 100);
        c.add(1, Event.LOAD, 100 * 100);
        c.add(1, Event.LINE_WRITE_TRANSFER, 100L * transfers);
        c.hottest(0, 100L * transfers);
        return c;
    }

    /** A figure of {@code published} (per-thread time over the baseline's 10 ns per unit), two units per request. */
    private static Figure figure(int cores, double published) {
        return new Figure("test", "free-threaded", "test", new Case("w", Map.of(), cores), new Case("w", Map.of(), 1), "unit", 2,
                10 * published, 10, "test");
    }

    @Test
    void privateWorkScalesIdeally() {
        Result r = OutOfSampleCheck.evaluate(figure(20, 1.52 / 1.50), MODEL, counts(0), counts(0), false);
        assertThat(r.predicted()).isCloseTo(1.0, within(1e-9));
        assertThat(r.limit()).isEqualTo("parallel work");
        assertThat(r.directionRight()).isTrue();
        assertThat(r.verdict()).isEqualTo("ok");
    }

    @Test
    void aHotLineCollapsesPerThreadTime() {
        // one core: 100 ns per request. 32 cores, 2 transfers of one line per request: t_m = 100 + 2 x 40 = 180 ns,
        // 32 / 180 ns = 178 M/s in parallel, but the line moves to one core at a time: 1 / (2 x 40 ns) = 12.5 M/s.
        // Each core then spends 32 / 12.5 M/s = 2,560 ns per request: 25.6 times its time alone.
        Result r = OutOfSampleCheck.evaluate(figure(32, 74), MODEL, counts(2), counts(0), false);
        assertThat(r.predicted()).isCloseTo(25.6, within(1e-9));
        assertThat(r.measuredNs()).as("per unit, two units a request").isCloseTo(1280, within(1e-9));
        assertThat(r.baselineNs()).isCloseTo(50, within(1e-9));
        assertThat(r.limit()).isEqualTo("hottest line");
        assertThat(r.directionRight()).isTrue();
        assertThat(r.withinFactorOfTwo()).isFalse();
        assertThat(r.verdict()).isEqualTo("FAIL: 2.89x off");
        // twice the threads on the same line: twice the per-thread time
        Result sixteen = OutOfSampleCheck.evaluate(figure(16, 74), MODEL, counts(2), counts(0), false);
        assertThat(r.predicted() / sixteen.predicted()).isCloseTo(2, within(1e-9));
    }

    @Test
    void theVerdictNeedsTheDirectionAndAFactorOfTwo() {
        assertThat(new Result(figure(8, 8.6), 4.4, 1, "x").verdict()).isEqualTo("ok");
        assertThat(new Result(figure(8, 8.6), 4.2, 1, "x").verdict()).startsWith("FAIL: 2.0");
        assertThat(new Result(figure(8, 8.6), 17.3, 1, "x").verdict()).startsWith("FAIL: 2.01x");
        assertThat(new Result(figure(20, 1.013), 1.6, 1, "x").verdict()).isEqualTo("FAIL: direction (slower against flat)");
        assertThat(new Result(figure(20, 1.013), 0.8, 1, "x").directionRight()).isFalse();
        assertThat(Direction.of(1.05)).isEqualTo(Direction.FLAT);
        assertThat(Direction.of(0.5)).isEqualTo(Direction.FASTER);
    }

    @Test
    void manyCorePricesReplaceOnlyTheTransfers() {
        Calibration here = new Calibration(1.6, 2.0, 6.3, 6.3, 2.9, "gil x json", "this machine");
        Calibration there = OutOfSampleCheck.manyCorePrices(here);
        assertThat(there.lineTransferNs()).isCloseTo(122.5 / 3.0, within(1e-9));
        assertThat(there.contendedCasNs()).isCloseTo(122.5 / 3.0, within(1e-9));
        assertThat(there.accessNs()).isEqualTo(1.6);
        assertThat(there.atomicNs()).isEqualTo(2.0);
        assertThat(there.lockNs()).isEqualTo(2.9);
        assertThat(there.environment()).startsWith("this machine").contains("atomic_ops_test").contains("3.0 GHz");
    }

    @Test
    void thePublishedRatiosAreTheirTimes() {
        // published: ~70x (gh-123619), ~8x (gh-134761), 1.52 s against 1.50 s (nogil)
        assertThat(OutOfSampleCheck.figures()).extracting(Figure::published)
                .satisfiesExactly(fib -> assertThat(fib).isCloseTo(1.0133, within(1e-4)),
                        method -> assertThat(method).isBetween(70.0, 78.0),
                        lock -> assertThat(lock).isBetween(8.0, 9.0));
        for (Figure f : OutOfSampleCheck.figures()) {
            assertThat(Workloads.load().named(f.measured().workload())).isNotNull();
            assertThat(ComponentRegistry.load().configuration(f.configuration())).isNotNull();
        }
    }

    /** A real counting run, small: one shared lock against private ones at 4 cores, and fib at 1 and 4. */
    @Test
    void realCountsTellASharedLockFromPrivateOnes() {
        assumeTrue(Memory.OBSERVED, "run by the projection-test execution, with -Dpxlab.projection=true");
        CostModel model = new CostModel(OutOfSampleCheck.manyCorePrices(new Calibration(1.6, 2.0, 6.3, 6.3, 2.9, "test", "test")));
        EventCounts shared = count("lock-locked", Map.of("lock", "shared"), 4);
        EventCounts own = count("lock-locked", Map.of("lock", "private"), 4);
        assertThat(shared.hottestLine()).as("the shared lock's line moves every request").isGreaterThanOrEqualTo(200);
        assertThat(own.total(Event.LINE_WRITE_TRANSFER)).as("private locks move no line").isLessThan(shared.total(Event.LINE_WRITE_TRANSFER));
        Figure lock = new Figure("lock", "free-threaded", "test", new Case("lock-locked", Map.of(), 4),
                new Case("lock-locked", Map.of(), 4), "call", 1, 8.6, 1, "test");
        assertThat(OutOfSampleCheck.evaluate(lock, model, shared, own, false).predicted()).isGreaterThan(1.1);
        Figure fib = new Figure("fib", "free-threaded", "test", new Case("fib", Map.of(), 4), new Case("fib", Map.of(), 1), "call", 67,
                1.013, 1, "test");
        Result r = OutOfSampleCheck.evaluate(fib, model, count("fib", Map.of("n", "8"), 4), count("fib", Map.of("n", "8"), 1), false);
        assertThat(Direction.of(r.predicted())).isEqualTo(Direction.FLAT);
    }

    private static EventCounts count(String workload, Map<String, String> options, int cores) {
        Workload w = Workloads.load().named(workload);
        return new CountingRun(cores, 100, 200).count(ComponentRegistry.load(), "free-threaded", w, new ComponentParameters(w.name(), options));
    }
}
