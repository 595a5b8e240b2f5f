package io.parasol.apps.truss;

import io.parasol.plugin.api.AppManifest;
import io.parasol.plugin.api.ChoiceField;
import io.parasol.plugin.api.ChoiceField.Option;
import io.parasol.plugin.api.Condition;
import io.parasol.plugin.api.FileField;
import io.parasol.plugin.api.FormSpec;
import io.parasol.plugin.api.Industry;
import io.parasol.plugin.api.IntegerField;
import io.parasol.plugin.api.NumberField;
import io.parasol.plugin.api.ResourceProfile;
import io.parasol.plugin.api.RunContext;
import io.parasol.plugin.api.RunInputs;
import io.parasol.plugin.api.Section;
import io.parasol.plugin.api.SimulationApp;
import io.parasol.plugin.api.Solver;
import io.parasol.plugin.api.TextField;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.pf4j.Extension;

/** Linear static analysis of 2D trusses: a parametric Pratt bridge, or any model from a file. */
@Extension
public class TrussFeaApp implements SimulationApp {

  private static final Properties BUILD = load();

  /** A small model to start from: a triangle truss with a load at its apex. */
  static final String EXAMPLE =
      String.join(
          "\n",
          "node,a,0,0",
          "node,b,3,4",
          "node,c,6,0",
          "bar,ab,a,b,2e11,1e-3",
          "bar,bc,b,c,2e11,1e-3",
          "bar,ac,a,c,2e11,1e-3",
          "support,a,xy",
          "support,c,y",
          "load,b,0,-10000");

  @Override
  public AppManifest manifest() {
    return new AppManifest(
        BUILD.getProperty("id"),
        "Truss analysis",
        BUILD.getProperty("version"),
        "Thermosoft",
        Industry.STRUCTURAL,
        "Displacements, bar forces and reactions of 2D pin-jointed trusses under static loads.",
        """
        Linear static analysis by the direct stiffness method: each bar carries axial force only
        (E·A/L stiffness); supports fix x, y or both; loads act at the nodes.

        * Model: a simply supported Pratt truss bridge from a few numbers, or your own model typed
          in or as a file of lines `node,NAME,X,Y`, `bar,NAME,A,B,E,AREA`, `support,NODE,x|y|xy`,
          `load,NODE,FX,FY` (SI units; up to 1,500 nodes).
        * Validation: closed-form deflections of a bar (PL/EA) and of a symmetric two-bar truss
          (PL/(2EA sin²θ)), and the method-of-sections chord force of the Pratt bridge.
        * Outputs: `displacements.csv`, `bars.csv` (force, stress, tension or compression),
          `reactions.csv`, `deformed.png`, `summary.json`.
        """,
        List.of("structural", "fea", "truss", "statics"),
        "Per-run licence.");
  }

  @Override
  public FormSpec form() {
    Condition bridge = Condition.when("source", "bridge");
    return FormSpec.of(
        Section.of(
            "model",
            "Model",
            ChoiceField.of(
                    "source",
                    "Model",
                    new Option("bridge", "Pratt truss bridge"),
                    new Option("text", "Nodes, bars, supports and loads typed in"),
                    new Option("file", "Model file"))
                .withDefault("bridge"),
            TextField.of(
                    "modelText",
                    "One per line: node,NAME,X,Y / bar,NAME,A,B,E,AREA / support,NODE,x|y|xy /"
                        + " load,NODE,FX,FY (m, Pa, m², N)")
                .withMaxLength(10_000)
                .withDefault(EXAMPLE)
                .visibleWhen(Condition.when("source", "text")),
            FileField.of("modelFile", "Model file", ".csv", ".txt")
                .optional()
                .visibleWhen(Condition.when("source", "file"))),
        Section.of(
            "bridge",
            "Bridge",
            IntegerField.of("panels", "Panels")
                .withRange(2, 400)
                .withDefault(8)
                .visibleWhen(bridge),
            NumberField.of("span", "Span")
                .withUnit("m")
                .withRange(1, 1000)
                .withDefault(24)
                .visibleWhen(bridge),
            NumberField.of("height", "Height")
                .withUnit("m")
                .withRange(0.1, 200)
                .withDefault(3)
                .visibleWhen(bridge),
            NumberField.of("modulus", "Young's modulus")
                .withUnit("GPa")
                .withRange(0.1, 1000)
                .withDefault(200)
                .visibleWhen(bridge),
            NumberField.of("area", "Bar cross-section")
                .withUnit("cm²")
                .withRange(0.01, 10000)
                .withDefault(50)
                .visibleWhen(bridge),
            NumberField.of("load", "Load per bottom joint")
                .withUnit("kN")
                .withRange(0, 1e6)
                .withDefault(100)
                .visibleWhen(bridge)));
  }

  @Override
  public ResourceProfile resources() {
    return ResourceProfile.cpu(1, 1, 2, 512, Duration.ofSeconds(30));
  }

  @Override
  public Solver solver() {
    return this::solve;
  }

  static Truss model(RunInputs in) throws IOException {
    if ("text".equals(in.text("source"))) {
      return Truss.parse(List.of(in.text("modelText").split("\\R")));
    }
    if ("file".equals(in.text("source"))) {
      if (!in.has("modelFile")) {
        throw new IllegalArgumentException("choose a model file, or the bridge");
      }
      return Truss.parse(Files.readAllLines(in.file("modelFile"), StandardCharsets.UTF_8));
    }
    return Truss.pratt(
        (int) in.integer("panels"),
        in.number("span"),
        in.number("height"),
        in.number("modulus") * 1e9,
        in.number("area") * 1e-4,
        in.number("load") * 1e3);
  }

  private void solve(RunContext context) throws IOException {
    long t0 = System.nanoTime();
    Truss truss = model(context.inputs());
    int dofs = 2 * truss.nodes().size();
    context.info(
        String.format(
            Locale.ROOT,
            "truss: %d nodes, %d bars, %d supports, %d loaded nodes",
            truss.nodes().size(),
            truss.bars().size(),
            truss.supports().size(),
            truss.loads().size()));
    context.progress(0.1, "model read");
    context.checkCancelled();
    long t1 = System.nanoTime();
    TrussSolver.Result r = TrussSolver.solve(truss);
    double solveSeconds = Math.max(1e-9, (System.nanoTime() - t1) / 1e9);
    context.metric("dofs", dofs);
    context.metric("solve_seconds", solveSeconds);
    context.metric("dofs_per_second", dofs / solveSeconds);
    context.progress(0.8, "solved");
    context.checkCancelled();

    Path out = context.outputDir();
    double maxDisp = 0;
    String maxNode = "";
    try (BufferedWriter w = Files.newBufferedWriter(out.resolve("displacements.csv"))) {
      w.write("node,x_m,y_m,ux_m,uy_m\n");
      for (int i = 0; i < truss.nodes().size(); i++) {
        Truss.Node n = truss.nodes().get(i);
        double ux = r.displacement()[2 * i];
        double uy = r.displacement()[2 * i + 1];
        if (Math.hypot(ux, uy) > maxDisp) {
          maxDisp = Math.hypot(ux, uy);
          maxNode = n.name();
        }
        w.write(
            String.format(Locale.ROOT, "%s,%.6g,%.6g,%.6e,%.6e\n", n.name(), n.x(), n.y(), ux, uy));
      }
    }
    double maxTension = 0;
    double maxCompression = 0;
    try (BufferedWriter w = Files.newBufferedWriter(out.resolve("bars.csv"))) {
      w.write("bar,node_a,node_b,length_m,force_n,stress_pa,state\n");
      for (int b = 0; b < truss.bars().size(); b++) {
        Truss.Bar bar = truss.bars().get(b);
        Truss.Node p = truss.nodes().get(bar.a());
        Truss.Node q = truss.nodes().get(bar.b());
        double f = r.force()[b];
        maxTension = Math.max(maxTension, f);
        maxCompression = Math.min(maxCompression, f);
        String state = Math.abs(f) < 1e-9 ? "zero" : f > 0 ? "tension" : "compression";
        w.write(
            String.format(
                Locale.ROOT,
                "%s,%s,%s,%.6g,%.6e,%.6e,%s\n",
                bar.name(),
                p.name(),
                q.name(),
                Math.hypot(q.x() - p.x(), q.y() - p.y()),
                f,
                f / bar.area(),
                state));
      }
    }
    try (BufferedWriter w = Files.newBufferedWriter(out.resolve("reactions.csv"))) {
      w.write("node,rx_n,ry_n\n");
      for (var e : truss.supports().entrySet()) {
        int i = e.getKey();
        w.write(
            String.format(
                Locale.ROOT,
                "%s,%.6e,%.6e\n",
                truss.nodes().get(i).name(),
                r.reaction()[2 * i],
                r.reaction()[2 * i + 1]));
      }
    }
    plot(truss, r, out.resolve("deformed.png"));
    double seconds = (System.nanoTime() - t0) / 1e9;
    Files.writeString(
        out.resolve("summary.json"),
        String.format(
            Locale.ROOT,
            "{\n  \"nodes\": %d,\n  \"bars\": %d,\n  \"dofs\": %d,\n  \"maxDisplacementM\": %.6e,\n"
                + "  \"maxDisplacementNode\": \"%s\",\n  \"maxTensionN\": %.6e,\n"
                + "  \"maxCompressionN\": %.6e,\n  \"solveSeconds\": %.4f,\n  \"dofsPerSecond\": %.4g,\n"
                + "  \"totalSeconds\": %.4f\n}\n",
            truss.nodes().size(),
            truss.bars().size(),
            dofs,
            maxDisp,
            maxNode.replace("\"", ""),
            maxTension,
            maxCompression,
            solveSeconds,
            dofs / solveSeconds,
            seconds),
        StandardCharsets.UTF_8);
    context.progress(1.0, "done");
    context.info(
        String.format(
            Locale.ROOT,
            "done: largest displacement %.4g mm at %s, forces %.4g to %.4g kN",
            maxDisp * 1000,
            maxNode,
            maxCompression / 1000,
            maxTension / 1000));
  }

  /** The truss (grey) and its deformed shape, magnified, red in tension and blue in compression. */
  static void plot(Truss truss, TrussSolver.Result r, Path png) throws IOException {
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    double maxU = 0;
    for (int i = 0; i < truss.nodes().size(); i++) {
      Truss.Node n = truss.nodes().get(i);
      minX = Math.min(minX, n.x());
      maxX = Math.max(maxX, n.x());
      minY = Math.min(minY, n.y());
      maxY = Math.max(maxY, n.y());
      maxU = Math.max(maxU, Math.hypot(r.displacement()[2 * i], r.displacement()[2 * i + 1]));
    }
    double size = Math.max(maxX - minX, maxY - minY);
    double magnify = maxU == 0 ? 1 : 0.1 * size / maxU;
    int width = 800;
    int height = 500;
    double scale =
        0.8
            * Math.min(
                width / Math.max(1e-9, maxX - minX),
                height / Math.max(1e-9, maxY - minY + 0.3 * size));
    double ox = (width - scale * (maxX - minX)) / 2 - scale * minX;
    double oy = height / 2.0 + scale * (maxY + minY) / 2;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    double maxForce = 1e-12;
    for (double f : r.force()) {
      maxForce = Math.max(maxForce, Math.abs(f));
    }
    for (int pass = 0; pass < 2; pass++) {
      for (int b = 0; b < truss.bars().size(); b++) {
        Truss.Bar bar = truss.bars().get(b);
        double[] p = point(truss, r, bar.a(), pass == 1 ? magnify : 0);
        double[] q = point(truss, r, bar.b(), pass == 1 ? magnify : 0);
        if (pass == 0) {
          g.setColor(new Color(200, 200, 200));
          g.setStroke(new BasicStroke(1.5f));
        } else {
          double f = r.force()[b] / maxForce;
          int level = (int) Math.round(80 + 175 * Math.abs(f));
          g.setColor(f >= 0 ? new Color(level, 30, 30) : new Color(30, 30, level));
          g.setStroke(new BasicStroke(2.5f));
        }
        g.draw(
            new Line2D.Double(
                ox + scale * p[0], oy - scale * p[1], ox + scale * q[0], oy - scale * q[1]));
      }
    }
    g.setColor(Color.DARK_GRAY);
    g.drawString(
        String.format(Locale.ROOT, "deformation x%.3g; red tension, blue compression", magnify),
        10,
        height - 10);
    g.dispose();
    ImageIO.setUseCache(false);
    ImageIO.write(image, "png", png.toFile());
  }

  private static double[] point(Truss truss, TrussSolver.Result r, int node, double magnify) {
    Truss.Node n = truss.nodes().get(node);
    return new double[] {
      n.x() + magnify * r.displacement()[2 * node], n.y() + magnify * r.displacement()[2 * node + 1]
    };
  }

  private static Properties load() {
    try (InputStream in = TrussFeaApp.class.getResourceAsStream("app.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
