package org.pxlab.experiments.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pxlab.runtime.config.ConfigurationException;

/** The cost model's arithmetic on a small calibration, worked by hand; the calibration file. */
class CostModelTest {
    /** a = 2, b = 3, x = 10, c = 20, l = 5 ns. */
    private static final Calibration PRICES = new Calibration(2, 3, 10, 20, 5, "test", "test");
    private final CostModel model = new CostModel(PRICES);

    /** 10 requests: 100 loads, 50 stores, 20 atomics, 10 critical sections, 5 + 5 transfers. */
    private static EventCounts counts() {
        EventCounts c = new EventCounts();
        c.add(1, Event.REQUEST, 10);
        c.add(1, Event.LOAD, 100);
        c.add(1, Event.STORE, 50);
        c.add(1, Event.ATOMIC, 20);
        c.add(2, Event.LOCK_LOCAL, 6);
        c.add(2, Event.LOCK_REMOTE, 4);
        c.add(1, Event.LINE_READ_TRANSFER, 5);
        c.add(2, Event.LINE_WRITE_TRANSFER, 5);
        return c;
    }

    /** t_m = 2 (10 + 5) + (2 + 3) 2 + 5 x 1 + 10 (0.5 + 0.5) = 30 + 10 + 5 + 10 = 55 ns per request. */
    private static final double TM = 55;

    @Test
    void parallelWorkScalesWithCores() {
        assertThat(model.mutatorNanos(counts())).isCloseTo(TM, within(1e-9));
        assertThat(model.predict(counts(), 1, false).requestsPerSecond()).isCloseTo(1e9 / TM, within(1e-3));
        CostModel.Prediction four = model.predict(counts(), 4, false);
        assertThat(four.requestsPerSecond()).isCloseTo(4e9 / TM, within(1e-3));
        assertThat(four.limit()).isEqualTo("parallel work");
    }

    @Test
    void eachCriticalSectionCostsTheLockPrice() {
        EventCounts c = counts();
        c.add(1, Event.LOCK_LOCAL, 20);             // 2 more per request: + 2 l = + 10 ns
        assertThat(model.mutatorNanos(c) - model.mutatorNanos(counts())).isCloseTo(2 * 5, within(1e-9));
    }

    @Test
    void theInterpreterWorkIsAddedToEveryRequestAndMeasuredFromTheReference() {
        // W = 45: T = 45 + 55 = 100 ns, 1e7 requests per second on one core, 4e7 on four
        assertThat(model.predict(counts(), 45, 1, false).requestsPerSecond()).isCloseTo(1e7, within(1e-6));
        assertThat(model.predict(counts(), 45, 4, false).requestsPerSecond()).isCloseTo(4e7, within(1e-6));
        assertThat(model.workNanos(counts(), 1e7)).isCloseTo(45, within(1e-9));
        // a measurement faster than the priced work leaves no room for W
        assertThat(model.workNanos(counts(), 1e9)).isZero();
        assertThatThrownBy(() -> model.workNanos(new EventCounts(), 1e6)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void racesCostTransfersOnlyWhenCoresRunAtOnce() {
        EventCounts c = counts();
        c.add(1, Event.LINE_RACE, 20);              // 2 per request: + 2 x = + 20 ns at 2 cores and more
        assertThat(model.raceNanos(c)).isCloseTo(20, within(1e-9));
        assertThat(model.predict(c, 1, false).requestsPerSecond()).isCloseTo(1e9 / TM, within(1e-3));
        assertThat(model.predict(c, 4, false).requestsPerSecond()).isCloseTo(4e9 / (TM + 20), within(1e-3));
    }

    @Test
    void aGilKeepsItsLinesAndRunsOneRequestAtATime() {
        EventCounts c = counts();
        c.add(1, Event.LINE_RACE, 20);
        // 1e9 / (W + t_m - x transfers) = 1e9 / (45 + 55 - 10): neither transfers nor races
        CostModel.Prediction gil = model.predict(c, 45, 4, true);
        assertThat(gil.requestsPerSecond()).isCloseTo(1e9 / 90, within(1e-3));
        assertThat(gil.limit()).isEqualTo("GIL");
        assertThat(model.predict(c, 45, 1, true).limit()).isEqualTo("one core");
    }

    @Test
    void theTightestBoundWins() {
        EventCounts c = counts();
        c.hottest(10, 0);                           // h = 1: 1e9 / (1 (5 + 10)), below 4e9 / 55
        assertThat(model.predict(c, 4, false).requestsPerSecond()).isCloseTo(1e9 / 15, within(1e-3));
        assertThat(model.predict(c, 4, false).limit()).isEqualTo("hottest lock");
        c.hottest(10, 20);                          // H = 2: 1e9 / (2 max(10, 20))
        assertThat(model.predict(c, 4, false).requestsPerSecond()).isCloseTo(1e9 / 40, within(1e-3));
        assertThat(model.predict(c, 4, false).limit()).isEqualTo("hottest line");
        assertThat(model.predict(c, 1, false).limit()).isEqualTo("one core");   // no bound binds one core
    }

    @Test
    void aStopTheWorldIdlesEveryCore() {
        EventCounts c = counts();
        c.add(1, Event.GC_ACCESS, 40);              // t_g = 2 x 4 = 8 ns per request
        c.add(1, Event.STOP_THE_WORLD, 1);
        c.add(1, Event.SAFEPOINT_WAIT, 3);          // 0.3 per request, a transfer each
        // T = 55 + 4 x 8 + 10 x 0.3 = 90 core-ns per request
        assertThat(model.predict(c, 4, false).requestsPerSecond()).isCloseTo(4e9 / 90, within(1e-3));
    }

    @Test
    void aCalibrationFileRoundTripsAndIsNeverOverwritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cal.properties");
        PRICES.saveNew(file);
        assertThat(Calibration.load(file)).isEqualTo(PRICES);
        assertThatThrownBy(() -> PRICES.saveNew(file)).isInstanceOf(FileAlreadyExistsException.class);
        Files.write(file, List.of("access-ns=fast"));
        assertThatThrownBy(() -> Calibration.load(file)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("access-ns").hasMessageContaining("fast");
        assertThatThrownBy(() -> new Calibration(-1, 0, 0, 0, 0, "", "")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("calibration.access-ns");
    }

    @Test
    void aCalibrationForTheFirstModelIsRefusedNotMisread(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("old.properties");
        Files.write(file, List.of("access-ns=1.61", "atomic-ns=2.03", "line-transfer-ns=6.26", "contended-cas-ns=6.26", "lock-ns=2.89"));
        assertThatThrownBy(() -> Calibration.load(file)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("model").hasMessageContaining("missing").hasMessageContaining("calibrate again");
        Files.write(file, List.of("model=2", "access-ns=1", "atomic-ns=2", "line-transfer-ns=3", "contended-cas-ns=4", "lock-ns=5"));
        Calibration loaded = Calibration.load(file);
        assertThat(loaded.lockNs()).isEqualTo(5);
        assertThat(loaded.reference()).isEqualTo("?");
    }

    @Test
    void countsSurviveTheTripFromTheCountingJvm() {
        EventCounts c = counts();
        c.hottest(7, 9);
        java.util.Map<String, String> lines = new java.util.HashMap<>();
        for (String l : c.toLines("4.").split("\n")) lines.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
        EventCounts back = EventCounts.fromLines(lines, "4.");
        for (Event e : Event.values()) assertThat(back.total(e)).as(e.name()).isEqualTo(c.total(e));
        assertThat(back.hottestLock()).isEqualTo(7);
        assertThat(back.hottestLine()).isEqualTo(9);
        lines.remove("4.LOAD");
        assertThatThrownBy(() -> EventCounts.fromLines(lines, "4.")).hasMessageContaining("4.LOAD");
    }

    @Test
    void coreListsAreChecked() {
        assertThat(Projection.checkCores(List.of(4, 1, 2, 2))).containsExactly(1, 2, 4);
        assertThatThrownBy(() -> Projection.checkCores(List.of(0))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("--cores").hasMessageContaining("1 to 4096");
    }
}
