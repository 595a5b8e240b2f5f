package io.parasol.apps.heat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Renders a temperature field as a PNG heat map with a colour bar along the bottom. */
final class HeatMap {

  // A perceptually ordered palette from cold to hot (dark blue, blue, cyan, yellow, red).
  private static final int[][] STOPS = {
    {20, 20, 90}, {30, 90, 200}, {40, 200, 210}, {250, 220, 60}, {200, 30, 30}
  };

  private HeatMap() {}

  static void write(double[][] field, double min, double max, Path png) throws IOException {
    int ny = field.length;
    int nx = field[0].length;
    int scale = Math.max(1, 480 / Math.max(nx, ny));
    int width = nx * scale;
    int barHeight = Math.max(12, width / 20);
    int height = ny * scale + barHeight + 4;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    double span = max - min == 0 ? 1 : max - min;
    for (int y = 0; y < ny * scale; y++) {
      // Row 0 of the image is the top edge of the plate (largest y).
      double[] row = field[ny - 1 - y / scale];
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, colour((row[x / scale] - min) / span));
      }
    }
    for (int y = ny * scale + 4; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, colour((double) x / Math.max(1, width - 1)));
      }
    }
    ImageIO.setUseCache(false);
    ImageIO.write(image, "png", png.toFile());
  }

  static int colour(double f) {
    double v = Math.max(0, Math.min(1, f)) * (STOPS.length - 1);
    int i = Math.min(STOPS.length - 2, (int) v);
    double w = v - i;
    int r = (int) Math.round(STOPS[i][0] + w * (STOPS[i + 1][0] - STOPS[i][0]));
    int g = (int) Math.round(STOPS[i][1] + w * (STOPS[i + 1][1] - STOPS[i][1]));
    int b = (int) Math.round(STOPS[i][2] + w * (STOPS[i + 1][2] - STOPS[i][2]));
    return (r << 16) | (g << 8) | b;
  }
}
