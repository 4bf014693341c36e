package org.pxlab.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The interpreter-work setting converts nanoseconds to busy-loop steps from one calibration. */
class InterpreterWorkTest {
    @Test
    void zeroMeansNoWork() {
        assertThat(InterpreterWork.ofNanos(0).steps()).isZero();
    }

    @Test
    void stepsScaleWithTheRequestedTime() {
        long small = InterpreterWork.ofNanos(1_000).steps();
        long large = InterpreterWork.ofNanos(100_000).steps();
        assertThat(small).isPositive();
        // One calibration serves both, so the ratio is the ratio of the requests, up to rounding.
        assertThat((double) large / small).isBetween(99.0, 101.0);
    }
}
