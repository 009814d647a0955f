package io.nasnet.report;

import io.nasnet.history.RoundStats;
import io.nasnet.history.StrategyComparison;

import io.nasnet.space.Op;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The PNG charts of the report and of the studies, drawn with XChart. */
public final class Charts {

    static {
        // the one place AWT is told there is no display (a cluster's driver, a CI machine): every chart is
        // drawn through this class, which sets it before Java2D starts
        System.setProperty("java.awt.headless", "true");
    }

    /** Thirteen colours that stay apart in a stacked bar: one per op. */
    private static final Color[] OP_COLORS = {
            new Color(0x4e79a7), new Color(0xa0cbe8), new Color(0xf28e2b), new Color(0xffbe7d), new Color(0x59a14f),
            new Color(0x8cd17d), new Color(0xb6992d), new Color(0xf1ce63), new Color(0x499894), new Color(0x86bcb6),
            new Color(0xe15759), new Color(0xff9d9a), new Color(0x79706e)};

    private Charts() {
    }

    /** Mean and best reward of each round, and the best so far. */
    static void rewards(List<RoundStats> rounds, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(760).height(420).title("Reward per round")
                .xAxisTitle("round").yAxisTitle("validation accuracy").build();
        style(chart.getStyler());
        chart.getStyler().setXAxisDecimalPattern("0");
        double[] x = rounds.stream().mapToDouble(RoundStats::round).toArray();
        chart.addSeries("mean", x, rounds.stream().mapToDouble(RoundStats::meanReward).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("best in round", x, rounds.stream().mapToDouble(RoundStats::bestReward).toArray())
                .setMarker(SeriesMarkers.DIAMOND);
        XYSeries best = chart.addSeries("best so far", x, rounds.stream().mapToDouble(RoundStats::bestSoFar).toArray());
        best.setMarker(SeriesMarkers.NONE);
        best.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        save(chart, png);
    }

    /** Best reward so far against children evaluated, one line per search: strategies at equal budget. */
    static void bestSoFar(Map<String, double[][]> bySearch, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(760).height(420).title("Best so far at equal budget")
                .xAxisTitle("children evaluated").yAxisTitle("best validation accuracy").build();
        style(chart.getStyler());
        chart.getStyler().setXAxisDecimalPattern("0");
        for (Map.Entry<String, double[][]> e : bySearch.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        }
        save(chart, png);
    }

    /**
     * Best so far against children sampled, one line per strategy (the mean over its seeds) between
     * dashed lines of the lowest and highest seed: strategies at equal budget over seeds.
     */
    public static void comparison(StrategyComparison c, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(760).height(420).title("Best so far at equal budget, over seeds")
                .xAxisTitle("children sampled").yAxisTitle("best validation accuracy").build();
        style(chart.getStyler());
        chart.getStyler().setXAxisDecimalPattern("0");
        int i = 0;
        for (StrategyComparison.Curve curve : c.curves()) {
            Color color = OP_COLORS[(2 * i++) % OP_COLORS.length];
            double[] x = java.util.Arrays.stream(curve.children()).asDoubleStream().toArray();
            XYSeries mean = chart.addSeries(curve.strategy() + " (mean of " + curve.seeds() + " seeds)", x, curve.mean());
            mean.setMarker(SeriesMarkers.NONE);
            mean.setLineColor(color);
            mean.setLineWidth(2.5f);
            band(chart, curve.strategy(), x, curve.min(), curve.max(), color);
        }
        save(chart, png);
    }

    /** A curve's lower and upper edge as thin dashed lines of its colour, out of the legend. */
    private static void band(XYChart chart, String name, double[] x, double[] low, double[] high, Color color) {
        for (int k = 0; k < 2; k++) {
            XYSeries s = chart.addSeries(name + (k == 0 ? " low" : " high"), x, k == 0 ? low : high);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(color);
            s.setLineWidth(1f);
            s.setLineStyle(SeriesLines.DASH_DASH);
            s.setShowInLegend(false);
        }
    }

    /**
     * Anytime curves of a strategy study: per variant, {@code {x, median, low, high}}: the median over seeds
     * of the re-evaluated quality of the best architecture found by x child-seconds (solid), between the
     * 95% bootstrap band of that median (dashed).
     */
    public static void anytime(Map<String, double[][]> byVariant, Path png) throws IOException {
        curves("Best architecture found at equal child-seconds", "child-seconds spent",
                "re-evaluated quality of the best so far", "median", byVariant, png);
    }

    /**
     * Curves with bands, per variant {@code {x, centre, low, high}}: the centre solid with markers
     * (named {@code centre} in the legend), the band dashed in the same colour.
     */
    public static void curves(String title, String xLabel, String yLabel, String centre,
                              Map<String, double[][]> byVariant, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(760).height(420).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        style(chart.getStyler());
        chart.getStyler().setXAxisDecimalPattern("0");
        int i = 0;
        for (Map.Entry<String, double[][]> e : byVariant.entrySet()) {
            Color color = OP_COLORS[(2 * i++) % OP_COLORS.length];
            double[][] v = e.getValue();
            XYSeries line = chart.addSeries(e.getKey() + " (" + centre + ")", v[0], v[1]);
            line.setMarker(SeriesMarkers.CIRCLE);
            line.setMarkerColor(color);
            line.setLineColor(color);
            line.setLineWidth(2.5f);
            band(chart, e.getKey(), v[0], v[2], v[3], color);
        }
        save(chart, png);
    }

    /**
     * Proxy reward against final accuracy, one series per proxy: how well a cheap evaluation ranks
     * architectures the way a longer training does.
     */
    public static void fidelity(Map<String, double[][]> pointsByProxy, String finalLabel, Path png) throws IOException {
        scatter("Proxy reward against final accuracy", "proxy reward (validation accuracy)", finalLabel, pointsByProxy, png);
    }

    /** Points of several series ({x values, y values} each) on one scatter plot. */
    public static void scatter(String title, String xLabel, String yLabel, Map<String, double[][]> series, Path png)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(760).height(560).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        style(chart.getStyler());
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(9);
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
        }
        save(chart, png);
    }

    /** Share of each op among the choices of each round, as stacked bars. */
    static void opShares(String title, List<Integer> rounds, Map<Op, double[]> sharePerRound, Path png)
            throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(760).height(420).title(title)
                .xAxisTitle("round").yAxisTitle("% of op choices").build();
        style(chart.getStyler());
        chart.getStyler().setStacked(true);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setSeriesColors(OP_COLORS);
        chart.getStyler().setYAxisMax(100.0);
        chart.getStyler().setYAxisMin(0.0);
        List<String> x = rounds.stream().map(String::valueOf).toList();
        for (Map.Entry<Op, double[]> e : sharePerRound.entrySet()) {
            List<Double> y = new ArrayList<>();
            for (double v : e.getValue()) {
                y.add(100 * v);
            }
            chart.addSeries(CellDiagram.label(e.getKey()), x, y);
        }
        save(chart, png);
    }

    private static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(0xdddddd));
        s.setPlotBorderVisible(false);
        s.setLegendBorderColor(Color.WHITE);
        s.setAntiAlias(true);
        s.setXAxisMaxLabelCount(16);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
    }

    private static void save(Chart<?, ?> chart, Path png) throws IOException {
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
