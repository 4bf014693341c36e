package org.pxlab.experiments.report;

import java.util.List;
import org.pxlab.experiments.report.Document.Link;

/**
 * The published single-thread costs of the real systems pxlab's configurations model, which
 * the calibration section sets beside the measured ones. A configuration is matched by name
 * prefix, the longest first.
 *
 * @param prefix  configuration names it applies to
 * @param figure  the published cost, as the source gives it
 * @param source  where it is published
 */
record PublishedFigure(String prefix, String figure, Link source) {
    static final Link FAQ = new Link("Python FAQ, \"Can't we get rid of the Global Interpreter Lock?\": Greg Stein's "
            + "free-threading patch (Python 1.5) made single-threaded code about twice as slow",
            "https://docs.python.org/3/faq/library.html#can-t-we-get-rid-of-the-global-interpreter-lock");
    static final Link PEP_703 = new Link("PEP 703, \"Making the Global Interpreter Lock Optional in CPython\", "
            + "Performance: the prototype's overhead 5-6% on one thread (7-8% with many)",
            "https://peps.python.org/pep-0703/#performance");
    static final Link WHATS_NEW_314 = new Link("What's New In Python 3.14, free-threaded mode: the single-threaded "
            + "penalty of 3.14t is roughly 5-10%, depending on platform and C compiler",
            "https://docs.python.org/3/whatsnew/3.14.html");

    static final List<PublishedFigure> ALL = List.of(
            new PublishedFigure("fine-grained", "~2x slower (ratio ~0.5)", FAQ),
            new PublishedFigure("free-threaded-3.13", "5-6% slower (ratio 0.94-0.95), PEP 703 prototype", PEP_703),
            new PublishedFigure("free-threaded-3.14", "5-10% slower (ratio 0.90-0.95), 3.14t", WHATS_NEW_314),
            new PublishedFigure("free-threaded", "5-10% slower (ratio 0.90-0.95), 3.14t", WHATS_NEW_314));

    /** The sources, in the order the report cites them. */
    static final List<Link> SOURCES = List.of(FAQ, PEP_703, WHATS_NEW_314);

    /** The figure for a configuration, or "-" when none was published. */
    static String forConfiguration(String configuration) {
        return ALL.stream().filter(f -> configuration.startsWith(f.prefix()))
                .max((a, b) -> Integer.compare(a.prefix().length(), b.prefix().length()))
                .map(PublishedFigure::figure).orElse("-");
    }
}
