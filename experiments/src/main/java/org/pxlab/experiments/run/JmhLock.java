package org.pxlab.experiments.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * JMH's machine-wide lock ({@code jmh.lock} in the temporary folder), which a JMH run holds
 * for its whole length so two runs do not measure each other. JMH itself gives up at once when
 * the lock is taken; a suite instead waits for it, since its figures would be no better for
 * running beside another benchmark. {@code -Djmh.ignoreLock=true} skips the wait, as it skips
 * JMH's own check.
 */
final class JmhLock {
    private JmhLock() {}

    /**
     * Returns once the lock is free (or ignored), checking every {@code pollMillis}.
     *
     * @param onWait called once, when the lock is first found taken
     * @throws IOException when it is still taken after {@code timeoutMillis}
     */
    static void awaitFree(long timeoutMillis, long pollMillis, Runnable onWait) throws IOException, InterruptedException {
        if (Boolean.getBoolean("jmh.ignoreLock")) return;
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        boolean told = false;
        while (true) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = channel.tryLock()) {
                if (lock != null) return;   // free: released here, and JMH takes it a moment later
            } catch (OverlappingFileLockException heldInThisJvm) {
                // a JMH run inside this JVM holds it: taken all the same
            }
            if (!told) {
                onWait.run();
                told = true;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("another JMH run held " + file + " for " + timeoutMillis / 1000 + " s");
            }
            Thread.sleep(pollMillis);
        }
    }
}
