package org.pxlab.experiments.projection;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import org.pxlab.runtime.config.ConfigurationException;

/**
 * The cost model's prices, in nanoseconds per event, with the environment they were measured
 * in. Saved as a properties file so that a projection made later, or on another machine,
 * says whose prices it used. The file carries {@code model=2}: a file written before the lock
 * and transfer prices meant what they mean now (without the key) is refused, not misread.
 *
 * @param accessNs        {@code a}: one simulated load or store through {@code Memory}, in the L1
 *                        cache (measured)
 * @param atomicNs        {@code b}: what an uncontended atomic read-modify-write costs beyond a plain
 *                        access (measured)
 * @param lineTransferNs  {@code x}: one line transfer or race as the coherence model counts them
 *                        (fitted, {@link Calibrator#fitTransfer}; measured, as a ping-pong, when
 *                        not fitted)
 * @param contendedCasNs  {@code c}: one atomic add on a line that another core updates at the same
 *                        time (measured); a floor for the hottest line's hand-overs
 * @param lockNs          {@code l}: a critical section beyond the two atomics on its lock word, which
 *                        are priced as atomics (fitted, {@link Calibrator#fitLock}; measured through
 *                        {@code per-object-locks} when not fitted)
 * @param reference       what was fitted on what ({@link Calibrator#MEASURED} if nothing was)
 * @param environment     JDK, CPU, cores, date, load: where the prices come from
 */
public record Calibration(double accessNs, double atomicNs, double lineTransferNs, double contendedCasNs, double lockNs,
                          String reference, String environment) {
    private static final String[] PRICES = {"access-ns", "atomic-ns", "line-transfer-ns", "contended-cas-ns", "lock-ns"};
    /** The file key that names the model the prices are for, and its value now. */
    static final String MODEL_KEY = "model", MODEL = "2";

    public Calibration {
        double[] v = {accessNs, atomicNs, lineTransferNs, contendedCasNs, lockNs};
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0) || Double.isInfinite(v[i])) {
                throw new ConfigurationException("calibration." + PRICES[i], Double.toString(v[i]), "a finite number of nanoseconds, 0 or more");
            }
        }
    }

    /** The same prices with a fitted lock price; {@code fittedOn} is added to the reference. */
    public Calibration withLock(double ns, String fittedOn) {
        return new Calibration(accessNs, atomicNs, lineTransferNs, contendedCasNs, ns, fitted(fittedOn), environment);
    }

    /** The same prices with a fitted line-transfer price; {@code fittedOn} is added to the reference. */
    public Calibration withLineTransfer(double ns, String fittedOn) {
        return new Calibration(accessNs, atomicNs, ns, contendedCasNs, lockNs, fitted(fittedOn), environment);
    }

    private String fitted(String what) {
        return reference.equals(Calibrator.MEASURED) ? what : reference + "; " + what;
    }

    /**
     * The same prices with the line-transfer and contended-CAS prices taken from elsewhere (a
     * target machine's published figures), {@code source} saying where; the environment records it.
     */
    public Calibration withTransferPrices(double lineTransferNs, double contendedCasNs, String source) {
        return new Calibration(accessNs, atomicNs, lineTransferNs, contendedCasNs, lockNs, reference,
                environment + "; line transfer and contended CAS from " + source);
    }

    /**
     * Reads a calibration file.
     *
     * @throws ConfigurationException naming the file and the field that is missing or malformed
     */
    public static Calibration load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigurationException("--calibration", file.toString(), "a readable calibration file (" + e.getMessage() + ")");
        }
        double[] v = new double[PRICES.length];
        for (int i = 0; i < PRICES.length; i++) {
            String s = p.getProperty(PRICES[i]);
            try {
                v[i] = Double.parseDouble(s);
            } catch (NullPointerException | NumberFormatException e) {
                throw new ConfigurationException(file + ": " + PRICES[i], s, "a number of nanoseconds");
            }
        }
        // after the prices, so that a malformed price is named first
        if (!MODEL.equals(p.getProperty(MODEL_KEY))) {
            throw new ConfigurationException(file + ": " + MODEL_KEY, p.getProperty(MODEL_KEY, "(missing: a calibration for the first cost model)"),
                    MODEL + " (delete or move the file to calibrate again: its lock and line-transfer prices meant other things)");
        }
        return new Calibration(v[0], v[1], v[2], v[3], v[4], p.getProperty("reference", "?"), p.getProperty("environment", "?"));
    }

    /**
     * Writes the calibration to a file that must not exist yet: a calibration once written is
     * kept (a new one goes to a new file).
     */
    public void saveNew(Path file) throws IOException {
        Properties p = new Properties();
        double[] v = {accessNs, atomicNs, lineTransferNs, contendedCasNs, lockNs};
        for (int i = 0; i < PRICES.length; i++) p.setProperty(PRICES[i], Double.toString(v[i]));
        p.setProperty(MODEL_KEY, MODEL);
        p.setProperty("reference", reference);
        p.setProperty("environment", environment);
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        try (Writer w = Files.newBufferedWriter(file, StandardOpenOption.CREATE_NEW)) {
            p.store(w, "pxlab projection calibration: nanoseconds per event (see docs/projection.md)");
        }
    }

    @Override
    public String toString() {
        return String.format("access %.2f ns, atomic +%.2f ns, line transfer %.1f ns, contended CAS %.1f ns, lock %.1f ns (fitted: %s); %s",
                accessNs, atomicNs, lineTransferNs, contendedCasNs, lockNs, reference, environment);
    }
}
