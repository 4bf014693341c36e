package org.pxlab.experiments.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The fitted prices: recovered from synthetic runs priced with known ones; the least squares worked by hand. */
class PriceFitTest {
    /** The true prices: a = 1, b = 2, x = 30, c = 8, l = 40. */
    private static final Calibration TRUE = new Calibration(1, 2, 30, 8, 40, Calibrator.MEASURED, "test");
    /** What the fit starts from: the true measured prices, l and x wrong. */
    private static final Calibration START = new Calibration(1, 2, 7, 8, 3, Calibrator.MEASURED, "test");

    private static EventCounts run(int loads, int atomics, int locks, int transfers, int races) {
        EventCounts c = new EventCounts();
        c.add(1, Event.REQUEST, 100);
        c.add(1, Event.LOAD, 100L * loads);
        c.add(1, Event.ATOMIC, 100L * atomics);
        c.add(1, Event.LOCK_LOCAL, 100L * locks);
        c.add(1, Event.LINE_WRITE_TRANSFER, 100L * transfers);
        c.add(1, Event.LINE_RACE, 100L * races);
        return c;
    }

    /** A sample whose throughput is what the true prices predict. */
    private static Calibrator.Sample sample(EventCounts c, int cores, double work) {
        double rps = new CostModel(TRUE).predict(c, work, cores, false).requestsPerSecond();
        return new Calibrator.Sample("synthetic", c, cores, rps, work);
    }

    @Test
    void theLockPriceThenTheTransferPriceAreRecovered() {
        Calibration lock = Calibrator.fitLock(START,
                List.of(sample(run(500, 50, 10, 0, 0), 1, 300), sample(run(2000, 10, 100, 0, 0), 1, 900)));
        assertThat(lock.lockNs()).isCloseTo(40, within(1e-6));
        assertThat(lock.lineTransferNs()).isEqualTo(7);
        assertThat(lock.reference()).isEqualTo("lock on synthetic, synthetic at 1 core");
        // transfers and races alike, at 2 cores, with the lock price just fitted
        Calibration both = Calibrator.fitTransfer(lock,
                List.of(sample(run(500, 50, 10, 20, 30), 2, 300), sample(run(800, 5, 0, 3, 100), 2, 100)));
        assertThat(both.lineTransferNs()).isCloseTo(30, within(1e-6));
        assertThat(both.lockNs()).isCloseTo(40, within(1e-6));
        assertThat(both.reference()).isEqualTo("lock on synthetic, synthetic at 1 core; line transfer on synthetic, synthetic at 2 cores");
    }

    @Test
    void theLeastSquaresWeighsEachSampleByItsRelativeError() {
        // weights 1 and 1/4: p = (1 x 1 x 1 + 1/4 x 2 x 6) / (1 x 1 + 1/4 x 4) = 4 / 2
        assertThat(Calibrator.relativeLeastSquares(new double[] {1, 2}, new double[] {1, 6}, new double[] {1, 2}, "x"))
                .isCloseTo(2, within(1e-12));
        // a negative fit is no price
        assertThat(Calibrator.relativeLeastSquares(new double[] {1}, new double[] {-3}, new double[] {1}, "x")).isZero();
    }

    @Test
    void samplesThatCannotFitAPriceAreRefused() {
        assertThatThrownBy(() -> Calibrator.fitLock(START, List.of(sample(run(10, 0, 0, 0, 0), 1, 10))))
                .hasMessageContaining("critical sections");
        assertThatThrownBy(() -> Calibrator.fitLock(START, List.of(sample(run(10, 0, 1, 0, 0), 2, 10))))
                .hasMessageContaining("one core");
        assertThatThrownBy(() -> Calibrator.fitTransfer(START, List.of(sample(run(10, 0, 1, 1, 0), 1, 10))))
                .hasMessageContaining("2 or more cores");
    }
}
