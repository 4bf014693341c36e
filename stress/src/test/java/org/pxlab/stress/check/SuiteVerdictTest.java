package org.pxlab.stress.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jcstress.annotations.Expect;

class SuiteVerdictTest {
    private static final String GIL = "x.GilTest";
    private static final String CONTROL = "x.UnlockedControl";

    private static TestSummary gil(long lost) {
        return new TestSummary(GIL, null, Map.of(
                "3", new TestSummary.Outcome(Expect.ACCEPTABLE, 1000, "both landed"),
                "2", new TestSummary.Outcome(Expect.FORBIDDEN, lost, "lost update")), 14, 0, List.of());
    }

    private static TestSummary control(long lost, int configurations) {
        return new TestSummary(CONTROL, "lost refcount update", Map.of(
                "3", new TestSummary.Outcome(Expect.ACCEPTABLE, 1000, "both landed"),
                "2", new TestSummary.Outcome(Expect.ACCEPTABLE_INTERESTING, lost, "lost update")), configurations,
                lost > 0 ? 1 : 0, List.of());
    }

    private static String printed(SuiteVerdict v) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        v.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void passesWhenNothingForbiddenEveryTestRanAndEveryControlFired() {
        SuiteVerdict v = new SuiteVerdict(List.of(gil(0), control(5, 14)), Set.of(GIL, CONTROL), 2);

        assertThat(v.passed()).isTrue();
        assertThat(v.testsRan()).isEqualTo(2);
        assertThat(printed(v))
                .contains("2 of 2 selected tests ran")
                .contains("hazard [2]: not observed in 1,000 samples")
                .contains("fired: 5 in 1,005 samples, in 1 of 14 configurations")
                .contains("STRESS SUITE PASSED");
    }

    @Test
    void failsOnAForbiddenOutcome() {
        SuiteVerdict v = new SuiteVerdict(List.of(gil(3), control(5, 14)), Set.of(GIL, CONTROL), 2);

        assertThat(v.passed()).isFalse();
        assertThat(v.invalid()).isFalse();
        assertThat(v.failures()).singleElement().asString().contains(GIL, "forbidden outcome [2] observed 3 in 1,003 samples");
        assertThat(printed(v)).contains("UNSAFE: 3 in 1,003 samples", "STRESS SUITE FAILED");
    }

    @Test
    void aControlThatDidNotFireMakesTheRunInvalid() {
        SuiteVerdict v = new SuiteVerdict(List.of(gil(0), control(0, 14)), Set.of(GIL, CONTROL), 2);

        assertThat(v.passed()).isFalse();
        assertThat(v.invalid()).isTrue();
        assertThat(v.failures()).singleElement().asString().contains(CONTROL, "did not fire", "invalid");
        assertThat(printed(v)).contains("DID NOT FIRE in 1,000 samples", "STRESS SUITE INVALID");
    }

    @Test
    void failsWhenASelectedTestDidNotRun() {
        SuiteVerdict v = new SuiteVerdict(List.of(gil(0)), Set.of(GIL, CONTROL), 1);

        assertThat(v.passed()).isFalse();
        assertThat(v.failures()).singleElement().asString().contains(CONTROL, "did not run");
    }

    @Test
    void failsWhenFewerTestsRanThanRequired() {
        SuiteVerdict v = new SuiteVerdict(List.of(gil(0)), Set.of(GIL), 5);

        assertThat(v.passed()).isFalse();
        assertThat(v.failures()).singleElement().asString().contains("1 tests ran, fewer than the 5 expected");
    }

    @Test
    void aTestWithoutSamplesDidNotRun() {
        TestSummary empty = new TestSummary(GIL, null, Map.of(
                "3", new TestSummary.Outcome(Expect.ACCEPTABLE, 0, "both landed")), 0, 0, List.of());
        SuiteVerdict v = new SuiteVerdict(List.of(empty), Set.of(GIL), 1);

        assertThat(v.passed()).isFalse();
        assertThat(v.failures()).anySatisfy(f -> assertThat(f).contains(GIL, "did not run"));
    }

    @Test
    void failsOnAConfigurationError() {
        TestSummary crashed = new TestSummary(GIL, null, gil(0).outcomes(), 13, 0, List.of("VM_ERROR in configuration [-Xint]"));
        SuiteVerdict v = new SuiteVerdict(List.of(crashed), Set.of(GIL), 1);

        assertThat(v.passed()).isFalse();
        assertThat(v.failures()).singleElement().asString().contains("VM_ERROR");
    }

    @Test
    void anUngradedOutcomeFails() {
        TestSummary odd = new TestSummary(GIL, null, Map.of(
                "7", new TestSummary.Outcome(Expect.UNKNOWN, 1, null)), 1, 0, List.of());
        SuiteVerdict v = new SuiteVerdict(List.of(odd), Set.of(GIL), 1);

        assertThat(v.passed()).isFalse();
        assertThat(v.failures()).singleElement().asString().contains("ungraded outcome [7]");
    }
}
