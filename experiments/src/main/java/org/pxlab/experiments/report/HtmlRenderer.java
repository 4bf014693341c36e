package org.pxlab.experiments.report;

import java.util.function.IntFunction;
import org.pxlab.experiments.report.Document.Block;
import org.pxlab.experiments.report.Document.Chart;
import org.pxlab.experiments.report.Document.Link;
import org.pxlab.experiments.report.Document.Links;
import org.pxlab.experiments.report.Document.Section;
import org.pxlab.experiments.report.Document.Table;
import org.pxlab.experiments.report.Document.Text;

/**
 * Renders a {@link Document} as one self-contained HTML page: the style sheet inline, charts as
 * inline SVG, no script and nothing loaded from elsewhere (links to sources are plain anchors).
 */
final class HtmlRenderer {
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#222}
            table{border-collapse:collapse;margin:.5rem 0 1rem;display:block;overflow-x:auto;max-width:100%}
            th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;font-variant-numeric:tabular-nums}
            th{background:#f3f3f3}
            figure.chart{margin:1rem 0}
            figure.chart svg{max-width:100%;height:auto}
            figcaption{font-size:.9rem;color:#555}
            """;

    private HtmlRenderer() {}

    static String render(Document document) {
        StringBuilder html = new StringBuilder(1 << 16);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(document.title())).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n")
                .append("<h1>").append(escape(document.title())).append("</h1>\n");
        for (Section section : document.sections()) {
            html.append("<section>\n<h2>").append(escape(section.title())).append("</h2>\n");
            for (Block block : section.blocks()) append(html, block);
            html.append("</section>\n");
        }
        return html.append("</body>\n</html>\n").toString();
    }

    private static void append(StringBuilder html, Block block) {
        switch (block) {
            case Text t -> html.append("<p>").append(escape(t.text())).append("</p>\n");
            case Table t -> {
                html.append("<table>\n<thead><tr>");
                t.header().forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
                html.append("</tr></thead>\n<tbody>\n");
                for (var row : t.rows()) {
                    html.append("<tr>");
                    row.forEach(c -> html.append("<td>").append(escape(c)).append("</td>"));
                    html.append("</tr>\n");
                }
                html.append("</tbody>\n</table>\n");
            }
            case Chart c -> html.append("<figure class=\"chart\">\n").append(c.svg())
                    .append("\n<figcaption>").append(escape(c.caption())).append("</figcaption>\n</figure>\n");
            case Links l -> {
                html.append("<ul>\n");
                for (Link link : l.links()) {
                    html.append("<li>").append(escape(link.text())).append(": <a href=\"").append(escape(link.url()))
                            .append("\">").append(escape(link.url())).append("</a></li>\n");
                }
                html.append("</ul>\n");
            }
        }
    }

    /** Text made safe as HTML content or a quoted attribute value. */
    static String escape(String text) {
        return replaceEach(text, c -> switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
        });
    }

    /** {@code text} with each character that {@code rule} maps to a non-null string replaced by that string. */
    static String replaceEach(String text, IntFunction<String> rule) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = rule.apply(c);
            if (replacement == null) out.append(c);
            else out.append(replacement);
        }
        return out.toString();
    }
}
