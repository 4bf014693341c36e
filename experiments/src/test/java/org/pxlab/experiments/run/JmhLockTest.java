package org.pxlab.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A suite's throughput measurement waits while JMH's lock is held and goes on once it is free.
 * The lock file is moved to a temporary folder, so the test never holds the machine's real one.
 */
class JmhLockTest {
    @TempDir
    Path tmp;
    private String realTmp;
    private String ignoreLock;

    /** Also clears jmh.ignoreLock, which a test that runs JMH beside other runs may have set in this JVM. */
    @BeforeEach
    void useATemporaryLockFile() {
        realTmp = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
        ignoreLock = System.clearProperty("jmh.ignoreLock");
    }

    @AfterEach
    void restore() {
        System.setProperty("java.io.tmpdir", realTmp);
        if (ignoreLock != null) System.setProperty("jmh.ignoreLock", ignoreLock);
    }

    @Test
    void waitsWhileTheLockIsHeldAndGivesUpAfterTheTimeout() throws IOException {
        AtomicInteger told = new AtomicInteger();
        try (FileChannel channel = FileChannel.open(tmp.resolve("jmh.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> JmhLock.awaitFree(300, 20, told::incrementAndGet))
                    .isInstanceOf(IOException.class).hasMessageContaining("another JMH run held");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(300_000_000L);
            assertThat(told.get()).as("said once that it waits").isEqualTo(1);
        }
    }

    @Test
    void goesOnAtOnceWhenTheLockIsFree() throws Exception {
        AtomicInteger told = new AtomicInteger();

        JmhLock.awaitFree(10_000, 20, told::incrementAndGet);

        assertThat(told.get()).isZero();
    }

    @Test
    void goesOnOnceTheHolderReleasesIt() throws Exception {
        AtomicInteger told = new AtomicInteger();
        FileChannel channel = FileChannel.open(tmp.resolve("jmh.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = channel.lock();
        Thread release = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(200);
                held.release();
                channel.close();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        JmhLock.awaitFree(10_000, 20, told::incrementAndGet);

        release.join();
        assertThat(told.get()).isEqualTo(1);
        assertThat(held.isValid()).isFalse();
    }
}
