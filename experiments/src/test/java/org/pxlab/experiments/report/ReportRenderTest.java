package org.pxlab.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens report.html in headless Chromium (Debian's {@code chromium}) and checks that it renders
 * every chart and no error. Skipped, saying how to install it, where Chromium is missing.
 */
class ReportRenderTest {
    private static final String INSTALL = "Chromium is not installed: the report-rendering test is skipped. "
            + "Install it with `apt-get install chromium` (Debian; .ci/run does this) to run it.";

    @TempDir
    Path tmp;

    private static Optional<Path> chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Runs headless Chromium on {@code page} with {@code args}; returns stdout, failing on a console message or a bad exit. */
    private static String run(Path page, String... args) throws IOException, InterruptedException {
        Path browser = chromium().orElseThrow();
        List<String> command = new ArrayList<>(List.of(browser.toString(), "--headless", "--disable-gpu",
                "--enable-logging=stderr", "--v=0", "--user-data-dir=" + page.getParent().resolve("profile")));
        // Chromium's sandbox refuses to run as root.
        if ("root".equals(System.getProperty("user.name"))) command.add("--no-sandbox");
        command.addAll(List.of(args));
        command.add(page.toUri().toString());
        Path out = page.resolveSibling(page.getFileName() + ".out");
        Path err = page.resolveSibling(page.getFileName() + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s: " + command);
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(stderr).isZero();
        // Console messages (script errors, blocked loads, parse errors reported to the console).
        assertThat(stderr.lines().filter(l -> l.contains(":CONSOLE")).toList()).as("console messages").isEmpty();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    @Test
    void rendersEverySectionAndEveryChart() throws Exception {
        assumeTrue(chromium().isPresent(), INSTALL);
        ResultsFixture f = ResultsFixture.typical();
        Path dir = f.write(tmp.resolve("run"));
        Path report = Reports.write(dir);

        // The charts the fixture's data calls for, counted from the inputs: the calibration bars, one
        // throughput chart per workload (with its parameters), one spectrum per workload and thread
        // count with latency logs, the footprint bars per workload with a total in_use_bytes row.
        long workloads = f.throughputs.stream().map(m -> m.workload() + "|" + m.params()).distinct().count();
        long spectra = f.latencies.stream().map(l -> l.workload() + "|" + l.threads()).distinct().count();
        long footprints = f.footprintRows.stream().map(r -> r.split(","))
                .filter(c -> c[4].equals("total") && c[5].equals("in_use_bytes")).map(c -> c[2]).distinct().count();
        int expectedCharts = (int) (1 + workloads + spectra + footprints);

        // A probe page: the report plus a script that writes each chart's laid-out size into the DOM.
        String html = Files.readString(report);
        Path probe = dir.resolve("probe.html");
        Files.writeString(probe, html.replace("</body>", """
                <script>
                document.querySelectorAll('figure.chart > svg').forEach(svg => {
                  const box = svg.getBoundingClientRect();
                  svg.setAttribute('data-rendered', Math.round(box.width) + 'x' + Math.round(box.height));
                  svg.setAttribute('data-drawn', svg.querySelectorAll('path, line, rect, text').length);
                });
                </script>
                </body>"""));
        String dom = run(probe, "--dump-dom");

        assertThat(count(dom, "<svg[\\s>]")).isEqualTo(expectedCharts);
        assertThat(count(dom, "<figure class=\"chart\">\\s*<svg")).isEqualTo(expectedCharts);
        Matcher rendered = Pattern.compile("data-rendered=\"(\\d+)x(\\d+)\"").matcher(dom);
        int charts = 0;
        while (rendered.find()) {
            charts++;
            assertThat(Integer.parseInt(rendered.group(1))).isGreaterThan(100);
            assertThat(Integer.parseInt(rendered.group(2))).isGreaterThan(50);
        }
        assertThat(charts).isEqualTo(expectedCharts);
        Matcher drawn = Pattern.compile("data-drawn=\"(\\d+)\"").matcher(dom);
        while (drawn.find()) assertThat(Integer.parseInt(drawn.group(1))).isGreaterThan(10);
        for (String section : List.of("Run", "Single-thread calibration", "Headline: throughput ratios",
                "Throughput against threads", "Scaling efficiency", "Latency", "Footprint", "Safety matrix", "Environment")) {
            assertThat(dom).contains("<h2>" + section + "</h2>");
        }

        // The report itself (no probe) renders without a console message and paints its charts in colour.
        Path png = dir.resolve("report.png");
        run(report, "--screenshot=" + png, "--window-size=1000,2400", "--hide-scrollbars");
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1000);
        assertThat(colouredPixels(image)).as("pixels of the charts' series colours").isGreaterThan(2000);
        // PXLAB_REPORT_EXAMPLE=DIR keeps the rendered report and its picture (how docs/report-example.png is made).
        String keep = System.getenv("PXLAB_REPORT_EXAMPLE");
        if (keep != null) {
            Files.createDirectories(Path.of(keep));
            for (Path p : List.of(report, dir.resolve("report.md"), png)) {
                Files.copy(p, Path.of(keep).resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void aScriptInAConfigurationsNameStaysText() throws Exception {
        assumeTrue(chromium().isPresent(), INSTALL);
        String evil = "<script>document.title='pwned'</script>\"";
        Path dir = new ResultsFixture().throughput("gil", "json", 1, 100).throughput(evil, "json", 1, 90)
                .throughput("gil", "json", 2, 100).throughput(evil, "json", 2, 150).write(tmp.resolve("run"));
        String dom = run(Reports.write(dir), "--dump-dom");

        assertThat(dom).doesNotContain("<script").doesNotContain("pwned</title>");
        assertThat(dom).contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;\"");
    }

    /** Pixels that are clearly neither grey nor white: only the charts' series are drawn in colour. */
    private static int colouredPixels(BufferedImage image) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) n++;
            }
        }
        return n;
    }

    @Test
    void theReportLoadsNothingFromElsewhere() throws IOException {
        Path dir = ResultsFixture.typical().write(tmp.resolve("run"));
        String html = Files.readString(Reports.write(dir));
        assertThat(html).doesNotContainPattern("(?i)<(script|link|img|iframe|object|embed)[\\s>]")
                .doesNotContainPattern("(?i)\\s(src|srcset)=").doesNotContainPattern("(?i)@import|url\\(\\s*['\"]?(https?:|//)");
        try (Stream<String> hrefs = Pattern.compile("href=\"([^\"]*)\"").matcher(html).results().map(r -> r.group(1))) {
            // Only the cited sources link out, as plain anchors.
            assertThat(hrefs.toList()).allMatch(h -> h.startsWith("https://docs.python.org/") || h.startsWith("https://peps.python.org/")
                    || h.startsWith("#"));
        }
    }
}
