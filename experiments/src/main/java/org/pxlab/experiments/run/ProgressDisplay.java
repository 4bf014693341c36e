package org.pxlab.experiments.run;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * What {@code pxlab run} shows while it runs. On a terminal, one line redrawn twice a second:
 * a bar of the whole run and one of the current measurement, each with its percentage, and
 * the time left. Elsewhere (a pipe, a log file) one plain line as each measurement starts and
 * ends. The time left is the measurements' estimated seconds still to run, scaled by how long
 * the finished ones took against their estimates.
 */
final class ProgressDisplay implements AutoCloseable {
    private static final int BAR = 24;

    private final PrintWriter out;
    private final boolean terminal;
    private final int total;
    private final double estimatedTotal;
    private final long start = System.nanoTime();
    private final Thread ticker;

    private int done;
    private int failed;
    private double estimatedDone;
    private String current = "";
    private double currentEstimate;
    private long currentStart;
    private volatile boolean running = true;

    ProgressDisplay(PrintWriter out, boolean terminal, int total, double estimatedTotal) {
        this.out = out;
        this.terminal = terminal;
        this.total = total;
        this.estimatedTotal = Math.max(estimatedTotal, 1e-9);
        if (terminal) {
            ticker = Thread.ofPlatform().daemon().name("pxlab-progress").start(() -> {
                while (running) {
                    redraw();
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        } else {
            ticker = null;
        }
    }

    /** A measurement starts. */
    synchronized void started(String id, double estimate) {
        current = id;
        currentEstimate = Math.max(estimate, 1e-9);
        currentStart = System.nanoTime();
        if (!terminal) {
            out.printf(Locale.ROOT, "[%d/%d] %s ... (about %s; %s left in all)%n", done + 1, total, id, time(estimate), time(left()));
            out.flush();
        }
    }

    /** The current measurement ended. */
    synchronized void finished(String id, double estimate, double seconds, String cause) {
        done++;
        estimatedDone += estimate;
        if (cause != null) failed++;
        String line = String.format(Locale.ROOT, "[%d/%d] %s %s in %s%s", done, total, id, cause == null ? "ok" : "FAILED",
                time(seconds), cause == null ? "" : ": " + cause);
        if (terminal) {
            out.print("\r\033[2K" + line + "\n");
        } else {
            out.println(line);
        }
        current = "";
        out.flush();
    }

    private synchronized void redraw() {
        if (current.isEmpty()) return;
        double overall = Math.min(1, (estimatedDone + Math.min(elapsed(currentStart), currentEstimate)) / estimatedTotal);
        double mine = Math.min(0.99, elapsed(currentStart) / currentEstimate);
        out.printf(Locale.ROOT, "\r\033[2K%s %3.0f%% %d/%d%s | %s %s %3.0f%% | ETA %s", bar(overall), overall * 100, done, total,
                failed > 0 ? " (" + failed + " failed)" : "", bar(mine), current, mine * 100, time(left()));
        out.flush();
    }

    /** Seconds still to run: the estimates left, scaled by actual over estimated so far. */
    private double left() {
        double finishedTime = elapsed(start) - (current.isEmpty() ? 0 : elapsed(currentStart));
        double scale = estimatedDone > 0 ? finishedTime / estimatedDone : 1;
        double remaining = estimatedTotal - estimatedDone;
        if (!current.isEmpty()) remaining -= Math.min(elapsed(currentStart), currentEstimate);
        return Math.max(0, remaining * Math.max(scale, 0.5));
    }

    private static double elapsed(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String bar(double fraction) {
        int full = (int) Math.round(fraction * BAR);
        return "[" + "#".repeat(full) + ".".repeat(BAR - full) + "]";
    }

    static String time(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    @Override
    public void close() {
        running = false;
        if (ticker != null) {
            ticker.interrupt();
            try {
                ticker.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
