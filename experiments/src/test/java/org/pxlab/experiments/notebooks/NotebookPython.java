package org.pxlab.experiments.notebooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The python that executes the notebooks: each notebook the way CI does, {@code python -m nbconvert
 * --to notebook --execute}, with the copy written to an output folder (never over the source) and
 * a cell error failing the run; and the unit tests of the notebooks' shared module.
 *
 * <p>The python is Debian's {@code /usr/bin/python3} unless {@code PXLAB_PYTHON} names another:
 * Debian's Jupyter, pandas and matplotlib packages belong to it, while the {@code python3} first
 * on a developer's PATH (pyenv here) usually lacks them.
 */
final class NotebookPython {
    /** The Debian packages that give /usr/bin/python3 everything the notebooks import. */
    static final String PACKAGES =
            "jupyter-nbconvert python3-nbconvert python3-nbformat python3-ipykernel python3-pandas python3-matplotlib";

    private static final String MODULES = "nbconvert, nbformat, ipykernel, pandas, matplotlib";
    private static final long TIMEOUT_MINUTES = 10;

    private final Path python;

    private NotebookPython(Path python) {
        this.python = python;
    }

    /** The python of {@code $PXLAB_PYTHON}, else /usr/bin/python3. */
    static NotebookPython fromEnvironment() {
        String named = System.getenv("PXLAB_PYTHON");
        return new NotebookPython(Path.of(named == null || named.isBlank() ? "/usr/bin/python3" : named));
    }

    /**
     * Why this python cannot execute the notebooks (it is missing, or lacks a module), with how to
     * fix it; empty when it can.
     */
    Optional<String> unavailable() {
        String fix = "install Debian's packages (apt-get install " + PACKAGES + ") or set PXLAB_PYTHON to a "
                + "python with " + MODULES;
        if (!Files.isExecutable(python)) {
            return Optional.of("Jupyter is missing: " + python + " does not exist; " + fix);
        }
        try {
            Path log = Files.createTempFile("pxlab-python-probe", ".log");
            Run probe;
            try {
                probe = run(List.of(python.toString(), "-c", "import " + MODULES), Map.of(), Path.of("."), log);
            } finally {
                Files.deleteIfExists(log);
            }
            if (probe.exitCode() != 0) {
                String last = probe.log().strip().lines().reduce((a, b) -> b).orElse("");
                return Optional.of("Jupyter is missing: " + python + " cannot import " + MODULES + " (" + last + "); " + fix);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("Jupyter is missing: " + python + " does not start (" + e.getMessage() + "); " + fix);
        }
    }

    /**
     * Executes {@code notebook} in its own folder (so it imports and finds what sits beside it),
     * writing the executed copy to {@code outputDir}.
     *
     * @param environment added to this JVM's environment for the kernel; a null value removes a variable
     */
    Run execute(Path notebook, Path outputDir, Map<String, String> environment) throws IOException {
        Files.createDirectories(outputDir);
        List<String> command = List.of(python.toString(), "-m", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=600", "--output-dir", outputDir.toString(), notebook.toString());
        String name = notebook.getFileName().toString();
        Path log = outputDir.resolve(name.replaceFirst("\\.ipynb$", "") + ".nbconvert.log");
        return run(command, environment, notebook.getParent(), log).withExecuted(outputDir.resolve(name));
    }

    /**
     * Runs {@code python -m unittest -v MODULE} in {@code directory}, its log in {@code logDir}.
     *
     * @param environment as for {@link #execute}
     */
    Run unitTests(Path directory, String module, Path logDir, Map<String, String> environment) throws IOException {
        Files.createDirectories(logDir);
        return run(List.of(python.toString(), "-m", "unittest", "-v", module), environment, directory,
                logDir.resolve(module + ".log"));
    }

    /** Runs {@code command} with its stdout and stderr going to {@code log} (a file: the timeout holds however much it prints). */
    private static Run run(List<String> command, Map<String, String> environment, Path directory, Path log)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // No __pycache__ beside the notebooks' own module; no debugger warning on every kernel start.
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        builder.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        Process process = builder.start();
        process.getOutputStream().close();
        try {
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(command + " did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        }
        return new Run(new ArrayList<>(command), process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), null);
    }

    /**
     * One finished nbconvert (or probe) process.
     *
     * @param command  what ran
     * @param exitCode its exit status: nbconvert exits non-zero when a cell raised
     * @param log      stdout and stderr, interleaved
     * @param executed where the executed copy goes (written only when every cell ran), or null for a probe
     */
    record Run(List<String> command, int exitCode, String log, Path executed) {
        Run withExecuted(Path path) {
            return new Run(command, exitCode, log, path);
        }

        @Override
        public String toString() {
            return String.join(" ", command) + "\nexit " + exitCode + "\n" + log;
        }
    }
}
