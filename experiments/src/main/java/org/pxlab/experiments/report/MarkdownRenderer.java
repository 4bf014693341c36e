package org.pxlab.experiments.report;

import org.pxlab.experiments.report.Document.Block;
import org.pxlab.experiments.report.Document.Chart;
import org.pxlab.experiments.report.Document.Link;
import org.pxlab.experiments.report.Document.Links;
import org.pxlab.experiments.report.Document.Section;
import org.pxlab.experiments.report.Document.Table;
import org.pxlab.experiments.report.Document.Text;

/**
 * Renders a {@link Document} as Markdown: the same text and tables as the HTML, charts left
 * out (a line points to report.html). Text from the results is escaped so that it can neither
 * break a table nor become HTML in a viewer that renders Markdown's inline HTML.
 */
final class MarkdownRenderer {
    private MarkdownRenderer() {}

    static String render(Document document) {
        StringBuilder md = new StringBuilder(1 << 14);
        md.append("# ").append(escape(document.title())).append("\n");
        for (Section section : document.sections()) {
            md.append("\n## ").append(escape(section.title())).append("\n");
            for (Block block : section.blocks()) append(md, block);
        }
        return md.toString();
    }

    private static void append(StringBuilder md, Block block) {
        switch (block) {
            case Text t -> md.append("\n").append(escape(t.text())).append("\n");
            case Table t -> {
                md.append("\n|");
                t.header().forEach(h -> md.append(' ').append(escape(h)).append(" |"));
                md.append("\n|");
                t.header().forEach(h -> md.append("---|"));
                md.append("\n");
                for (var row : t.rows()) {
                    md.append('|');
                    row.forEach(c -> md.append(' ').append(escape(c)).append(" |"));
                    md.append("\n");
                }
            }
            case Chart c -> { /* charts are in the HTML report only */ }
            case Links l -> {
                md.append("\n");
                for (Link link : l.links()) md.append("- ").append(escape(link.text())).append(": <").append(link.url()).append(">\n");
            }
        }
    }

    /** Text that stays text in a Markdown paragraph or table cell. */
    static String escape(String text) {
        return HtmlRenderer.replaceEach(text, c -> switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '|' -> "\\|";
            case '\\', '`', '*', '_', '[', ']' -> "\\" + (char) c;
            case '\n', '\r' -> " ";
            default -> null;
        });
    }
}
