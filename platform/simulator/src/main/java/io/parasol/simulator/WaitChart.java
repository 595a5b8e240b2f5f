package io.parasol.simulator;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws the wait-time distributions of the strategies as cumulative curves on a log scale. */
public final class WaitChart {

  private static final Color[] COLOURS = {
    new Color(0xD6, 0x27, 0x28),
    new Color(0x1F, 0x77, 0xB4),
    new Color(0xFF, 0x7F, 0x0E),
    new Color(0x2C, 0xA0, 0x2C),
    new Color(0x94, 0x67, 0xBD),
    new Color(0x8C, 0x56, 0x4B),
    new Color(0x7F, 0x7F, 0x7F),
    new Color(0x17, 0xBE, 0xCF),
  };

  private WaitChart() {}

  /** Writes the chart as a PNG. */
  public static void png(List<Simulator.Result> results, String title, Path file)
      throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Simulator.Result r : results) {
      double[] waits =
          r.outcomes().stream().mapToDouble(Simulator.Outcome::waitSeconds).sorted().toArray();
      XYSeries s = new XYSeries(r.strategy().id(), true, true);
      int step = Math.max(1, waits.length / 400);
      for (int i = 0; i < waits.length; i += step) {
        // one second is added so that jobs that did not wait sit on the log axis
        s.add(waits[i] + 1, (i + 1) / (double) waits.length);
      }
      if (waits.length > 0) {
        s.add(waits[waits.length - 1] + 1, 1.0);
      }
      data.addSeries(s);
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title,
            "wait + 1 s (log scale)",
            "fraction of jobs",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    LogAxis x = new LogAxis("wait + 1 s (log scale)");
    x.setBase(10);
    x.setSmallestValue(1);
    plot.setDomainAxis(x);
    ((NumberAxis) plot.getRangeAxis()).setRange(0, 1);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < results.size(); i++) {
      renderer.setSeriesPaint(i, COLOURS[i % COLOURS.length]);
      renderer.setSeriesStroke(i, new BasicStroke(i == 0 ? 3f : 1.6f));
    }
    plot.setRenderer(renderer);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 620);
  }
}
