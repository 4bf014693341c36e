package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.discipline.PythonVersion;
import org.pxlab.runtime.discipline.ReferenceDiscipline;

/** The README's reference-discipline table is the one the code checks, word for word. */
class ReadmeTest {
    @Test
    void readmeCarriesTheGeneratedReferenceDisciplineTable() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String begin = "<!-- reference-discipline:3.12 -->\n", end = "<!-- /reference-discipline:3.12 -->";
        assertThat(readme).contains(begin).contains(end);
        String section = readme.substring(readme.indexOf(begin) + begin.length(), readme.indexOf(end));
        assertThat(section).isEqualTo(ReferenceDiscipline.markdown(PythonVersion.V3_12));
    }

    @Test
    void readmeShowsTheGilDeclarationAsDeclared() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String source = Files.readString(Path.of("src/main/java/org/pxlab/configurations/GilConfiguration.java"));
        String declaration = source.substring(source.indexOf("ConfigurationDeclaration.named"), source.indexOf(".build();") + 9);
        assertThat(readme.replaceAll("\\s+", " ")).contains(declaration.replaceAll("\\s+", " "));
    }
}
