package org.pxlab.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pxlab.experiments.projection.Calibration;
import org.pxlab.experiments.run.ProjectionKind;
import org.pxlab.experiments.run.ResultsFolder;

/** The report's projection section: dashed projection lines labelled as model output, its tables, and folders without it. */
class ProjectionReportTest {
    /** How JFreeSVG writes the projection lines' dashes (Charts' stroke), unlike the grid lines' 2.0,2.0. */
    private static final String DASHED = "stroke-dasharray:8.0,5.0";

    @TempDir
    Path tmp;

    private static final String ROWS = ResultsFolder.PROJECTION_HEADER + "\n"
            + "projection-gil-json,gil,json,,1,10500,1,one core,10000,150,jmh,5\n"
            + "projection-gil-json,gil,json,,2,10400,0.99,GIL,9800,120,jmh,6.12\n"
            + "projection-gil-json,gil,json,,64,10400,0.99,GIL,,,,\n"
            + "projection-free-threaded-json,free-threaded,json,,1,9000,1,one core,9300,,native,-3.2258\n"
            + "projection-free-threaded-json,free-threaded,json,,2,17900,1.99,parallel work,17600,,native,1.7\n"
            + "projection-free-threaded-json,free-threaded,json,,64,412345,45.8,hottest line,,,,\n"
            + "\"projection-x\",\"<b>&co, \"\"x\"\"\",fortunes,,1,2000,1,one core,,,,\n";

    private Path folder(String name) throws IOException {
        return ResultsFixture.typical().write(tmp.resolve(name));
    }

    @Test
    void projectionsAreDashedLinesLabelledModelOutputBesideTheMeasuredFigures() throws IOException {
        Path dir = folder("with");
        Files.writeString(dir.resolve(ResultsFolder.PROJECTION_CSV), ROWS);
        Calibration prices = new Calibration(1.5, 2, 6, 6, 3, "gil x json at 1 core", "test machine");
        prices.saveNew(dir.resolve(ProjectionKind.CALIBRATION_COPY));

        Reports.write(dir);
        String html = Files.readString(dir.resolve(Reports.HTML));
        String md = Files.readString(dir.resolve(Reports.MARKDOWN));

        String section = html.substring(html.indexOf("Projection to more cores (model output)"));
        String jsonChart = section.substring(section.indexOf("<svg"), section.indexOf("</svg>"));
        assertThat(jsonChart).contains(">json: throughput against cores<").contains(DASHED).contains(">gil projection (model output)<")
                .contains(">free-threaded projection (model output)<").contains(">gil measured<");
        // The projection series are the only dashed lines (grid lines have their own finer dashes).
        assertThat(html.substring(0, html.indexOf("Projection to more cores"))).doesNotContain(DASHED);
        assertThat(md).contains("| json | gil | 1 | 10500 | 10000 | 150 | jmh | +5.0% |")
                .contains("| json | free-threaded | 2 | 17900 | 17600 | n/a | native | +1.7% |")
                .contains("| json | free-threaded | 9000 | 17900 | 412345 | hottest line |")
                .contains(prices.toString());
        assertThat(html).contains("&lt;b&gt;&amp;co, &quot;x&quot;").doesNotContain("<b>&co");
    }

    @Test
    void aFolderWithoutProjectionCsvRendersAsBefore() throws IOException {
        Path without = folder("without");
        Reports.write(without);
        Path with = folder("with");
        Files.writeString(with.resolve(ResultsFolder.PROJECTION_CSV), ROWS);
        Reports.write(with);

        String mdWithout = Files.readString(without.resolve(Reports.MARKDOWN));
        String mdWith = Files.readString(with.resolve(Reports.MARKDOWN));
        assertThat(mdWithout).doesNotContainIgnoringCase("projection");
        int start = mdWith.indexOf("## Projection to more cores");
        int end = mdWith.indexOf("\n## ", start + 1);
        assertThat(start).isPositive();
        String rest = (mdWith.substring(0, start) + mdWith.substring(end + 1)).replace(with.toAbsolutePath().toString(), "DIR");
        assertThat(rest).isEqualTo(mdWithout.replace(without.toAbsolutePath().toString(), "DIR"));
        assertThat(Files.readString(without.resolve(Reports.HTML))).doesNotContain(DASHED).doesNotContainIgnoringCase("projection");
    }

    @Test
    void aMalformedProjectionCsvIsNamedWithItsLineAndColumnAndNothingIsWritten() throws IOException {
        Path dir = folder("bad");
        Files.writeString(dir.resolve(ResultsFolder.PROJECTION_CSV), ROWS.replace(",64,412345,", ",64,fast,"));

        assertThatThrownBy(() -> Reports.write(dir)).isInstanceOf(ResultsFormatException.class)
                .hasMessageContaining("projection.csv").hasMessageContaining("7").hasMessageContaining("predicted")
                .hasMessageContaining("fast");
        assertThat(dir.resolve(Reports.HTML)).doesNotExist();
    }

    @Test
    void aMeasuredFigureWithoutItsSourceIsRefused() throws IOException {
        Path dir = folder("nosource");
        Files.writeString(dir.resolve(ResultsFolder.PROJECTION_CSV), ROWS.replace("10000,150,jmh,5", "10000,150,,5"));

        assertThatThrownBy(() -> Reports.write(dir)).isInstanceOf(ResultsFormatException.class)
                .hasMessageContaining("projection.csv").hasMessageContaining("measured_source");
    }
}
