package io.parasol.apps.truss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Deflections and forces against closed-form solutions; relative error below 1e-9. */
class ClosedFormValidationTest {

  static final double E = 200e9;
  static final double A = 50e-4;

  static void close(double expected, double actual) {
    assertEquals(
        expected,
        actual,
        Math.abs(expected) * 1e-9,
        () -> "expected " + expected + ", got " + actual);
  }

  @Test
  void aBarUnderTensionStretchesByPLOverEA() {
    double length = 4;
    double p = 250e3;
    Truss t =
        Truss.parse(
            List.of(
                "node,a,0,0",
                "node,b," + length + ",0",
                "bar,ab,a,b," + E + "," + A,
                "support,a,xy",
                "support,b,y",
                "load,b," + p + ",0"));
    TrussSolver.Result r = TrussSolver.solve(t);
    close(p * length / (E * A), r.displacement()[2]);
    close(p, r.force()[0]);
    close(-p, r.reaction()[0]);
  }

  @Test
  void aSymmetricTwoBarTrussDeflectsByPLOverTwoEASinSquared() {
    double halfWidth = 3;
    double height = 4;
    double p = 100e3;
    Truss t =
        Truss.parse(
            List.of(
                "node,left," + -halfWidth + "," + height,
                "node,right," + halfWidth + "," + height,
                "node,tip,0,0",
                "bar,l,left,tip," + E + "," + A,
                "bar,r,right,tip," + E + "," + A,
                "support,left,xy",
                "support,right,xy",
                "load,tip,0," + -p));
    TrussSolver.Result r = TrussSolver.solve(t);
    double length = Math.hypot(halfWidth, height);
    double sin = height / length;
    close(-p * length / (2 * E * A * sin * sin), r.displacement()[5]);
    close(0, r.displacement()[4] + 0.0);
    close(p / (2 * sin), r.force()[0]);
    close(p / (2 * sin), r.force()[1]);
  }

  @Test
  void thePrattBridgeMatchesTheMethodOfSections() {
    int panels = 8;
    double span = 24;
    double height = 3;
    double p = 100e3;
    Truss t = Truss.pratt(panels, span, height, E, A, p);
    TrussSolver.Result r = TrussSolver.solve(t);
    double w = span / panels;
    double reaction = (panels - 1) * p / 2;
    // Reactions carry the load.
    close(reaction, r.reaction()[1]);
    close(reaction, r.reaction()[2 * panels + 1]);
    // Bottom chord of panel j..j+1 (left half): moment about T_j over the height.
    for (int j = 1; j < panels / 2; j++) {
      double moment = reaction * j * w - p * w * j * (j - 1) / 2.0;
      close(moment / height, r.force()[j]);
    }
    // Symmetric loads, symmetric deflections.
    double left = r.displacement()[2 * 2 + 1];
    double right = r.displacement()[2 * (panels - 2) + 1];
    assertEquals(left, right, Math.abs(left) * 1e-9);
    assertTrue(r.displacement()[2 * (panels / 2) + 1] < left, "midspan deflects most");
  }

  @Test
  void mechanismsAndBadModelsAreRefusedWithTheReason() {
    Truss loose =
        Truss.parse(
            List.of(
                "node,a,0,0", "node,b,1,0", "bar,ab,a,b,1e9,1e-4", "support,a,x", "load,b,0,-1"));
    assertThrows(TrussSolver.UnstableException.class, () -> TrussSolver.solve(loose));
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> Truss.parse(List.of("node,a,0,0", "bar,x,a,zz,1,1", "support,a,xy")));
    assertTrue(
        bad.getMessage().startsWith("line 2 (bar,x,a,zz,1,1): no node named zz"), bad.getMessage());
  }
}
