package org.pxlab.experiments.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * A latency measurement's interval log ({@code latency/ID.hlog}, written with
 * {@code HistogramLogWriter}, values in nanoseconds) read back with HdrHistogram's
 * {@link HistogramLogReader} and merged into one histogram of the whole measurement.
 */
final class LatencyLog {
    private LatencyLog() {}

    static Histogram read(Path file) throws IOException {
        Histogram total = new Histogram(3);
        int read = 0;
        try {
            HistogramLogReader reader = new HistogramLogReader(file.toFile());
            for (EncodableHistogram interval; (interval = reader.nextIntervalHistogram()) != null; read++) {
                if (!(interval instanceof Histogram h)) {
                    throw new ResultsFormatException(file, dataLine(file, read), "interval histogram",
                            interval.getClass().getSimpleName(), "an integer-valued histogram");
                }
                total.add(h);
            }
        } catch (RuntimeException e) {
            if (e instanceof ResultsFormatException) throw e;
            // HistogramLogReader names neither the line nor the cause in a form worth showing as is.
            throw new ResultsFormatException(file, dataLine(file, read), "interval histogram",
                    String.valueOf(e.getMessage()), "an interval line of HistogramLogWriter's format (" + e.getClass().getSimpleName() + ")");
        }
        return total;
    }

    /** The 1-based line of the {@code n}th (0-based) interval line: lines that are neither comments nor the legend. */
    private static int dataLine(Path file, int n) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#") || line.startsWith("\"") || line.isBlank()) continue;
            if (seen++ == n) return i + 1;
        }
        return 0;
    }
}
