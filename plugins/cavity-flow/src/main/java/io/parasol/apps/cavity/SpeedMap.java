package io.parasol.apps.cavity;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Renders the speed |u| of the cavity flow as a PNG, the lid at the top, with a colour bar. */
final class SpeedMap {

  // Dark blue (still) through cyan and yellow to red (lid speed).
  private static final int[][] STOPS = {
    {20, 20, 90}, {30, 90, 200}, {40, 200, 210}, {250, 220, 60}, {200, 30, 30}
  };

  private SpeedMap() {}

  static void write(double[][] u, double[][] v, Path png) throws IOException {
    int nodes = u.length;
    int scale = Math.max(1, 480 / nodes);
    int size = nodes * scale;
    int bar = Math.max(12, size / 20);
    BufferedImage image = new BufferedImage(size, size + bar + 4, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      int j = nodes - 1 - y / scale;
      for (int x = 0; x < size; x++) {
        int i = x / scale;
        image.setRGB(x, y, colour(Math.hypot(u[j][i], v[j][i])));
      }
    }
    for (int y = size + 4; y < size + bar + 4; y++) {
      for (int x = 0; x < size; x++) {
        image.setRGB(x, y, colour((double) x / Math.max(1, size - 1)));
      }
    }
    ImageIO.setUseCache(false);
    ImageIO.write(image, "png", png.toFile());
  }

  private static int colour(double f) {
    double s = Math.max(0, Math.min(1, f)) * (STOPS.length - 1);
    int i = Math.min(STOPS.length - 2, (int) s);
    double w = s - i;
    int r = (int) Math.round(STOPS[i][0] + w * (STOPS[i + 1][0] - STOPS[i][0]));
    int g = (int) Math.round(STOPS[i][1] + w * (STOPS[i + 1][1] - STOPS[i][1]));
    int b = (int) Math.round(STOPS[i][2] + w * (STOPS[i + 1][2] - STOPS[i][2]));
    return (r << 16) | (g << 8) | b;
  }
}
