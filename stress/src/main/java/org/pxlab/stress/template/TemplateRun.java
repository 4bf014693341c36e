package org.pxlab.stress.template;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pxlab.stress.check.StressSuite;

/**
 * Runs the stress template over a named component, from a module's own tests: a JVM of its
 * own on this JVM's class path (the module's classes, its {@code META-INF/services}
 * registrations and pxlab-stress's tests), {@link StressSuite} with the build's sanity
 * settings, the component named by its system property. A plug-in's test is then one line:
 *
 * <pre>{@code
 * assertThat(TemplateRun.allocator("buddy", workFolder).passed()).isTrue();
 * }</pre>
 *
 * <p>The JVM's working directory is {@code work}: jcstress writes its result file there and
 * its report under {@code work/results}.
 */
public final class TemplateRun {
    private TemplateRun() {}

    /**
     * What a template run came to.
     *
     * @param status  StressSuite's exit status: 0 passed, 1 failed or invalid, 2 bad arguments
     * @param console everything it printed (jcstress's output and the suite's summary)
     */
    public record Result(int status, String console) {
        /** Whether every template test ran and no forbidden outcome appeared. */
        public boolean passed() {
            return status == 0;
        }
    }

    /** Races the allocator named {@code name} through {@link AllocatorTemplateNoOverlap}. */
    public static Result allocator(String name, Path work) throws IOException, InterruptedException {
        return run(TemplateSubject.ALLOCATOR, name, "org\\.pxlab\\.stress\\.template\\.AllocatorTemplate", 1, work);
    }

    /** Races the refcount strategy named {@code name} through the two refcount templates. */
    public static Result refcount(String name, Path work) throws IOException, InterruptedException {
        return run(TemplateSubject.REFCOUNT, name, "org\\.pxlab\\.stress\\.template\\.RefCountTemplate", 2, work);
    }

    private static Result run(String property, String name, String tests, int count, Path work)
            throws IOException, InterruptedException {
        Files.createDirectories(work);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(StressSuite.FORK_FLAGS);
        // jcstress 0.16 gives its forks the launching JVM's flags: the property reaches the tests.
        command.addAll(List.of("-D" + property + "=" + name, "-cp", System.getProperty("java.class.path"),
                StressSuite.class.getName(), "--min-tests", Integer.toString(count), "-t", tests));
        command.addAll(StressSuite.SANITY_SETTINGS);
        command.addAll(List.of("-r", work.resolve("results").toAbsolutePath().toString()));
        Path log = work.resolve("console.log");
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        int status = p.waitFor();
        return new Result(status, Files.readString(log, StandardCharsets.UTF_8));
    }
}
