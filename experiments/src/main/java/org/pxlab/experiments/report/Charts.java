package org.pxlab.experiments.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The report's charts, drawn by JFreeChart into JFreeSVG's {@link SVGGraphics2D} and returned
 * as {@code <svg>} elements to inline. Each chart gets its own prefix for the ids of its
 * clip paths and gradients, so that several charts in one page never share an id.
 */
final class Charts {
    static final int WIDTH = 720;
    static final int HEIGHT = 400;

    static {
        // Charts are drawn off screen, also where a display is set.
        System.setProperty("java.awt.headless", "true");
    }

    /** Tableau's ten colours: distinguishable, none too pale on white. */
    private static final Color[] PALETTE = {new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759),
        new Color(0x76b7b2), new Color(0x59a14f), new Color(0xedc948), new Color(0xb07aa1), new Color(0xff9da7),
        new Color(0x9c755f), new Color(0xbab0ac)};

    private int drawn;
    /** Each series name's colour, the same in every chart of a report. */
    private final Map<String, Color> colours = new HashMap<>();

    private Color colour(Comparable<?> series) {
        return colours.computeIfAbsent(series.toString(), s -> PALETTE[colours.size() % PALETTE.length]);
    }

    /** A point of a line with its error bar. */
    record Bar(double x, double y, double low, double high) {}

    /** Throughput (y, with its interval) against threads (x), one line per series. */
    String linesWithErrors(String title, String xLabel, String yLabel, Map<String, List<Bar>> series) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        series.forEach((name, bars) -> {
            YIntervalSeries s = new YIntervalSeries(name);
            bars.forEach(b -> s.add(b.x(), b.y(), finiteOr(b.low(), b.y()), finiteOr(b.high(), b.y())));
            data.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDefaultLinesVisible(true);
        renderer.setDefaultShapesVisible(true);
        renderer.setCapLength(6);
        plot.setRenderer(renderer);
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        return svg(style(chart));
    }

    /**
     * HdrHistogram's percentile spectrum: latency (microseconds) against the percentile on a
     * log scale of {@code 1 / (1 - p)}, so that 90%, 99%, 99.9% are evenly spaced.
     */
    String spectrum(String title, Map<String, Histogram> histograms) {
        XYSeriesCollection data = new XYSeriesCollection();
        histograms.forEach((name, h) -> {
            XYSeries s = new XYSeries(name, false);
            for (HistogramIterationValue v : h.percentiles(5)) {
                double p = v.getPercentileLevelIteratedTo() / 100;
                if (p >= 1) break;
                s.add(1 / (1 - p), h.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0);
            }
            data.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, "percentile", "latency (µs)", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis x = new LogAxis("percentile");
        x.setBase(10);
        x.setSmallestValue(1);
        // One tick per power of ten: 0%, 90%, 99%, 99.9%, ...
        x.setTickUnit(new NumberTickUnit(1));
        x.setAutoTickUnitSelection(false);
        x.setMinorTickCount(0);
        x.setNumberFormatOverride(new PercentileFormat());
        plot.setDomainAxis(x);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        plot.setRenderer(renderer);
        return svg(style(chart));
    }

    /** Grouped bars: one group per category, one bar per series. */
    String bars(String title, String categoryLabel, String valueLabel, Map<String, Map<String, Double>> values) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        values.forEach((category, bySeries) -> bySeries.forEach((series, v) -> data.addValue(v, series, category)));
        JFreeChart chart = ChartFactory.createBarChart(title, categoryLabel, valueLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        for (int i = 0; i < data.getRowCount(); i++) renderer.setSeriesPaint(i, colour(data.getRowKey(i)));
        chart.setBackgroundPaint(Color.WHITE);
        return svg(chart);
    }

    /**
     * Measured points (markers with their error bars, no line) and projections (dashed lines,
     * model output) against cores on a log2 axis, throughput on a log axis; a configuration's
     * markers and projection share its colour. Series are named {@code CONF measured} and
     * {@code CONF projection (model output)}.
     *
     * @param measured  by configuration, its measured points
     * @param projected by configuration, its predicted points (x = cores, y = requests per second)
     */
    String projections(String title, Map<String, List<Bar>> measured, Map<String, List<Bar>> projected) {
        YIntervalSeriesCollection points = new YIntervalSeriesCollection();
        measured.forEach((configuration, bars) -> {
            YIntervalSeries s = new YIntervalSeries(configuration + " measured");
            bars.forEach(b -> s.add(b.x(), b.y(), finiteOr(b.low(), b.y()), finiteOr(b.high(), b.y())));
            points.addSeries(s);
        });
        XYSeriesCollection lines = new XYSeriesCollection();
        projected.forEach((configuration, bars) -> {
            XYSeries s = new XYSeries(configuration + " " + PROJECTION_LABEL, false);
            bars.forEach(b -> s.add(b.x(), b.y()));
            lines.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, "cores", "requests/s", points, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        background(chart);
        XYErrorRenderer markers = new XYErrorRenderer();
        markers.setDrawXError(false);
        markers.setDefaultLinesVisible(false);
        markers.setDefaultShapesVisible(true);
        markers.setCapLength(6);
        for (int i = 0; i < points.getSeriesCount(); i++) markers.setSeriesPaint(i, colour(List.copyOf(measured.keySet()).get(i)));
        plot.setRenderer(0, markers);
        plot.setDataset(1, lines);
        XYLineAndShapeRenderer dashed = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < lines.getSeriesCount(); i++) {
            dashed.setSeriesPaint(i, colour(List.copyOf(projected.keySet()).get(i)));
            dashed.setSeriesStroke(i, DASHED);
        }
        plot.setRenderer(1, dashed);
        LogAxis x = new LogAxis("cores");
        x.setBase(2);
        x.setTickUnit(new NumberTickUnit(1));
        x.setAutoTickUnitSelection(false);
        x.setMinorTickCount(0);
        x.setNumberFormatOverride(NumberFormat.getIntegerInstance(java.util.Locale.ROOT));
        plot.setDomainAxis(x);
        LogAxis y = new LogAxis("requests/s (log scale)");
        // One tick per power of ten: JFreeChart's own choice on a log axis reads 39,810,717.
        y.setBase(10);
        y.setTickUnit(new NumberTickUnit(1));
        y.setAutoTickUnitSelection(false);
        y.setNumberFormatOverride(NumberFormat.getIntegerInstance(java.util.Locale.ROOT));
        plot.setRangeAxis(y);
        return svg(chart);
    }

    /** What a projection's series and captions say it is. */
    static final String PROJECTION_LABEL = "projection (model output)";
    private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {8f, 5f}, 0f);

    private static void background(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }

    private JFreeChart style(JFreeChart chart) {
        background(chart);
        XYPlot plot = chart.getXYPlot();
        for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
            plot.getRenderer().setSeriesStroke(i, new BasicStroke(2f));
            plot.getRenderer().setSeriesPaint(i, colour(plot.getDataset().getSeriesKey(i)));
        }
        return chart;
    }

    private String svg(JFreeChart chart) {
        int n = ++drawn;
        SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
        g2.setDefsKeyPrefix("c" + n + "-");
        chart.draw(g2, new Rectangle(0, 0, WIDTH, HEIGHT));
        return g2.getSVGElement("chart-" + n, true, new ViewBox(0, 0, WIDTH, HEIGHT), null, null);
    }

    private static double finiteOr(double value, double fallback) {
        return Double.isFinite(value) ? value : fallback;
    }

    /** Labels {@code x = 1 / (1 - p)} with the percentile {@code p}: 1 is 0%, 10 is 90%, 1000 is 99.9%. */
    private static final class PercentileFormat extends NumberFormat {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double x, StringBuffer to, FieldPosition pos) {
            double percent = 100 * (1 - 1 / x);
            String text = percent < 99.99995 ? Figures.decimal(percent, 4) : Figures.decimal(percent, 6);
            return to.append(text).append('%');
        }

        @Override
        public StringBuffer format(long x, StringBuffer to, FieldPosition pos) {
            return format((double) x, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("labels only");
        }
    }
}
