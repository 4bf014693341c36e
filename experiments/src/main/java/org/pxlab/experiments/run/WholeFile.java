package org.pxlab.experiments.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a results-folder file whole or not at all: the text goes to a hidden sibling first,
 * which is then moved into place, so a reader (or a run killed midway) never sees half of it.
 * The sibling is created with the process's default permissions, as the folder's other files
 * are ({@code Files.createTempFile} would make it readable by its owner only).
 */
public final class WholeFile {
    private WholeFile() {}

    /**
     * Writes {@code text} (UTF-8) as {@code target}.
     *
     * @param replace whether an existing {@code target} is replaced (a report regenerated);
     *                otherwise an existing one is left as it was and the write fails
     *                ({@link java.nio.file.FileAlreadyExistsException}): results are never overwritten
     */
    public static Path write(Path target, String text, boolean replace) throws IOException {
        Path part = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".part");
        Files.writeString(Files.createFile(part), text, StandardCharsets.UTF_8);
        try {
            return replace ? Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
                    : Files.move(part, target);
        } finally {
            Files.deleteIfExists(part);
        }
    }
}
