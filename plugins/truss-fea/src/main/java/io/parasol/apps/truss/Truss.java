package io.parasol.apps.truss;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A 2D pin-jointed truss: nodes, bars (modulus E, area A), supports and nodal loads, in SI units.
 *
 * @param nodes the nodes in order
 * @param bars the bars
 * @param supports restrained directions by node index
 * @param loads nodal forces by node index
 */
public record Truss(
    List<Node> nodes,
    List<Bar> bars,
    Map<Integer, Support> supports,
    Map<Integer, double[]> loads) {

  /** The most nodes a model may have (2 degrees of freedom each, solved densely). */
  public static final int MAX_NODES = 1500;

  /**
   * A node.
   *
   * @param name its name in the model
   * @param x x in m
   * @param y y in m
   */
  public record Node(String name, double x, double y) {}

  /**
   * A bar between two nodes.
   *
   * @param name its name
   * @param a the index of its first node
   * @param b the index of its second node
   * @param modulus Young's modulus in Pa
   * @param area cross-section area in m²
   */
  public record Bar(String name, int a, int b, double modulus, double area) {}

  /**
   * Restraints of a node.
   *
   * @param x the x displacement is fixed
   * @param y the y displacement is fixed
   */
  public record Support(boolean x, boolean y) {}

  /**
   * Reads a model in the line format of {@code model.csv}: comment lines start with {@code #};
   * {@code node,NAME,X,Y}; {@code bar,NAME,NODE_A,NODE_B,E,A}; {@code support,NODE,x|y|xy}; {@code
   * load,NODE,FX,FY}.
   *
   * @throws IllegalArgumentException naming the line that is wrong
   */
  public static Truss parse(List<String> lines) {
    List<Node> nodes = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    List<Bar> bars = new ArrayList<>();
    Map<Integer, Support> supports = new HashMap<>();
    Map<Integer, double[]> loads = new HashMap<>();
    int number = 0;
    for (String raw : lines) {
      number++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\\s*,\\s*");
      String where = "line " + number + " (" + line + "): ";
      try {
        switch (f[0].toLowerCase(Locale.ROOT)) {
          case "node" -> {
            expect(f, 4, where);
            if (index.containsKey(f[1])) {
              throw new IllegalArgumentException(where + "node " + f[1] + " is defined twice");
            }
            if (nodes.size() >= MAX_NODES) {
              throw new IllegalArgumentException(where + "more than " + MAX_NODES + " nodes");
            }
            index.put(f[1], nodes.size());
            nodes.add(new Node(f[1], finite(f[2], where), finite(f[3], where)));
          }
          case "bar" -> {
            expect(f, 6, where);
            double e = finite(f[4], where);
            double a = finite(f[5], where);
            if (e <= 0 || a <= 0) {
              throw new IllegalArgumentException(where + "E and A must be positive");
            }
            int na = node(index, f[2], where);
            int nb = node(index, f[3], where);
            if (na == nb) {
              throw new IllegalArgumentException(where + "a bar needs two different nodes");
            }
            bars.add(new Bar(f[1], na, nb, e, a));
          }
          case "support" -> {
            expect(f, 3, where);
            String dirs = f[2].toLowerCase(Locale.ROOT);
            if (!dirs.matches("x|y|xy|yx")) {
              throw new IllegalArgumentException(where + "a support fixes x, y or xy");
            }
            supports.put(
                node(index, f[1], where), new Support(dirs.contains("x"), dirs.contains("y")));
          }
          case "load" -> {
            expect(f, 4, where);
            loads.merge(
                node(index, f[1], where),
                new double[] {finite(f[2], where), finite(f[3], where)},
                (p, q) -> new double[] {p[0] + q[0], p[1] + q[1]});
          }
          default ->
              throw new IllegalArgumentException(where + "expected node, bar, support or load");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(where + "not a number: " + e.getMessage(), e);
      }
    }
    if (bars.isEmpty() || supports.isEmpty()) {
      throw new IllegalArgumentException("a model needs bars and supports");
    }
    return new Truss(
        List.copyOf(nodes), List.copyOf(bars), Map.copyOf(supports), Map.copyOf(loads));
  }

  /**
   * A simply supported Pratt truss bridge: {@code panels} panels of {@code span / panels}, height
   * {@code height}, pinned at the left end and on rollers at the right, a load {@code -load} (N,
   * downwards) at every inner bottom joint.
   */
  public static Truss pratt(
      int panels, double span, double height, double modulus, double area, double load) {
    List<String> lines = new ArrayList<>();
    double w = span / panels;
    for (int i = 0; i <= panels; i++) {
      lines.add(String.format(Locale.ROOT, "node,B%d,%.9g,0", i, i * w));
    }
    for (int i = 1; i < panels; i++) {
      lines.add(String.format(Locale.ROOT, "node,T%d,%.9g,%.9g", i, i * w, height));
    }
    int bar = 0;
    for (int i = 0; i < panels; i++) {
      lines.add(
          String.format(Locale.ROOT, "bar,b%d,B%d,B%d,%s,%s", bar++, i, i + 1, modulus, area));
    }
    for (int i = 1; i < panels - 1; i++) {
      lines.add(
          String.format(Locale.ROOT, "bar,b%d,T%d,T%d,%s,%s", bar++, i, i + 1, modulus, area));
    }
    lines.add(String.format(Locale.ROOT, "bar,b%d,B0,T1,%s,%s", bar++, modulus, area));
    lines.add(
        String.format(
            Locale.ROOT, "bar,b%d,B%d,T%d,%s,%s", bar++, panels, panels - 1, modulus, area));
    for (int i = 1; i < panels; i++) {
      lines.add(String.format(Locale.ROOT, "bar,b%d,B%d,T%d,%s,%s", bar++, i, i, modulus, area));
    }
    // Pratt diagonals slope down towards the middle.
    for (int i = 1; i < panels - 1; i++) {
      if (i < panels / 2.0) {
        lines.add(
            String.format(Locale.ROOT, "bar,b%d,T%d,B%d,%s,%s", bar++, i, i + 1, modulus, area));
      } else {
        lines.add(
            String.format(Locale.ROOT, "bar,b%d,B%d,T%d,%s,%s", bar++, i, i + 1, modulus, area));
      }
    }
    lines.add("support,B0,xy");
    lines.add("support,B" + panels + ",y");
    for (int i = 1; i < panels; i++) {
      lines.add(String.format(Locale.ROOT, "load,B%d,0,%s", i, -load));
    }
    return parse(lines);
  }

  private static void expect(String[] f, int n, String where) {
    if (f.length != n) {
      throw new IllegalArgumentException(where + "expected " + n + " comma-separated values");
    }
  }

  private static double finite(String s, String where) {
    double v = Double.parseDouble(s);
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(where + "not a finite number: " + s);
    }
    return v;
  }

  private static int node(Map<String, Integer> index, String name, String where) {
    Integer i = index.get(name);
    if (i == null) {
      throw new IllegalArgumentException(where + "no node named " + name + " above this line");
    }
    return i;
  }
}
