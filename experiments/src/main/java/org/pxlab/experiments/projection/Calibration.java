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
 * says whose prices it used.
 *
 * @param accessNs        one simulated load or store with the interpreter work around it: fitted
 *                        so that the model reproduces the reference run at one core
 *                        ({@link Calibrator#fitAccess}); the only fitted price
 * @param atomicNs        what an uncontended atomic read-modify-write costs beyond a plain access
 * @param lineTransferNs  moving a 64-byte line from another core's cache (measured as a contended add)
 * @param contendedCasNs  one atomic add on a line that another core updates at the same time
 * @param lockNs          an uncontended lock and unlock (CAS on the lock word, release store)
 * @param reference       the configuration/workload the access price was fitted on
 * @param environment     JDK, CPU, cores, date, load: where the prices come from
 */
public record Calibration(double accessNs, double atomicNs, double lineTransferNs, double contendedCasNs, double lockNs,
                          String reference, String environment) {
    private static final String[] PRICES = {"access-ns", "atomic-ns", "line-transfer-ns", "contended-cas-ns", "lock-ns"};

    public Calibration {
        double[] v = {accessNs, atomicNs, lineTransferNs, contendedCasNs, lockNs};
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0) || Double.isInfinite(v[i])) {
                throw new ConfigurationException("calibration." + PRICES[i], Double.toString(v[i]), "a finite number of nanoseconds, 0 or more");
            }
        }
    }

    /** The same prices with another fitted access price. */
    public Calibration withAccess(double ns, String fittedOn) {
        return new Calibration(ns, atomicNs, lineTransferNs, contendedCasNs, lockNs, fittedOn, environment);
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
        p.setProperty("reference", reference);
        p.setProperty("environment", environment);
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        try (Writer w = Files.newBufferedWriter(file, StandardOpenOption.CREATE_NEW)) {
            p.store(w, "pxlab projection calibration: nanoseconds per event (see docs/projection.md)");
        }
    }

    @Override
    public String toString() {
        return String.format("access %.2f ns (fitted on %s), atomic +%.2f ns, line transfer %.1f ns, contended CAS %.1f ns, lock %.1f ns; %s",
                accessNs, reference, atomicNs, lineTransferNs, contendedCasNs, lockNs, environment);
    }
}
