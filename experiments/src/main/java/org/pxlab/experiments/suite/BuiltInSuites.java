package org.pxlab.experiments.suite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.pxlab.runtime.config.ConfigurationException;

/**
 * The suites shipped as resources of this package ({@code quick.yaml}, ...), and the choice
 * between one of them and a suite file that {@code pxlab run SUITE|FILE} makes.
 */
public final class BuiltInSuites {
    /** The built-in suites, {@code quick} (the default) first. */
    public static final List<String> NAMES = List.of("quick", "headline", "allocators", "full");

    private BuiltInSuites() {}

    /** A built-in suite's text. */
    public static String text(String name) {
        if (!NAMES.contains(name)) throw new ConfigurationException("SUITE", name, "one of the built-in suites " + NAMES);
        try (InputStream in = BuiltInSuites.class.getResourceAsStream(name + ".yaml")) {
            if (in == null) throw new IllegalStateException("the built-in suite " + name + " is missing from the class path");
            return new String(in.readNBytes(SafeYaml.MAX_CHARACTERS * 4 + 1), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A built-in suite's {@code description}, for {@code pxlab list}. */
    public static String description(String name) {
        Object root = SafeYaml.read(text(name), name);
        return root instanceof Map<?, ?> m && m.get("description") instanceof String d ? d.strip().replaceAll("\\s+", " ") : "";
    }

    /**
     * The text of {@code suiteOrFile}: a built-in suite's, or a file's (at most
     * {@value SafeYaml#MAX_CHARACTERS} bytes, read as UTF-8).
     *
     * @throws ConfigurationException when it is neither, or the file is too large or unreadable
     */
    public static String textOf(String suiteOrFile) {
        if (NAMES.contains(suiteOrFile)) return text(suiteOrFile);
        Path file = Path.of(suiteOrFile);
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException("SUITE", suiteOrFile, "a built-in suite " + NAMES + " or a suite file (no such file)");
        }
        try {
            long size = Files.size(file);
            if (size > SafeYaml.MAX_CHARACTERS) {
                throw new ConfigurationException(suiteOrFile, size + " bytes", "a suite file of at most " + SafeYaml.MAX_CHARACTERS + " bytes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException("SUITE", suiteOrFile, "a readable UTF-8 suite file (" + e.getMessage() + ")");
        }
    }
}
