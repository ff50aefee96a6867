package io.pushgate.bench.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The chart of the fan-out scenario: deliveries per second (x, log scale) against p99 latency
 * (y, log scale), one line per system through its steps in rate order; filled points are sustained
 * steps, hollow ones fell behind. Drawn with java.awt, headless, so no tool is needed.
 */
public final class Chart {

    static final int W = 1100;
    static final int H = 640;
    static final int LEFT = 90;
    static final int RIGHT = 260;
    static final int TOP = 60;
    static final int BOTTOM = 70;
    static final Color[] COLORS = {new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C), new Color(0xFF7F0E),
            new Color(0x9467BD), new Color(0x8C564B)};

    /** One system's points: deliveries/s, p99 ms, sustained. */
    record Series(String name, List<double[]> points) {
    }

    private Chart() {
    }

    public static void write(JsonObject results, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        ImageIO.write(render(series(results)), "png", file.toFile());
    }

    static List<Series> series(JsonObject results) {
        List<Series> out = new ArrayList<>();
        JsonObject fan = results.getJsonObject("fanout");
        if (fan == null) {
            return out;
        }
        for (Map.Entry<String, Object> e : fan.getJsonObject("systems", new JsonObject())) {
            JsonObject s = (JsonObject) e.getValue();
            JsonArray steps = s.getJsonArray("steps", new JsonArray());
            List<double[]> pts = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                JsonObject st = steps.getJsonObject(i);
                double p99 = st.getJsonObject("latencyMs", new JsonObject()).getDouble("p99", 0.0);
                if (st.getDouble("deliveriesPerSecond", 0.0) > 0 && p99 > 0) {
                    pts.add(new double[] {st.getDouble("rate"), st.getDouble("deliveriesPerSecond"), p99, st.getBoolean("passed", false) ? 1 : 0});
                }
            }
            pts.sort((a, b) -> Double.compare(a[0], b[0]));
            List<double[]> xy = new ArrayList<>();
            for (double[] p : pts) {
                xy.add(new double[] {p[1], p[2], p[3]});
            }
            if (!xy.isEmpty()) {
                out.add(new Series(e.getKey(), xy));
            }
        }
        return out;
    }

    static BufferedImage render(List<Series> series) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        double minX = Double.MAX_VALUE;
        double maxX = 1;
        double minY = 0.1;
        double maxY = 10;
        for (Series s : series) {
            for (double[] p : s.points()) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        double xMin = Math.floor(Math.log10(minX == Double.MAX_VALUE ? 1000 : minX));
        double xMax = Math.max(xMin + 1, Math.ceil(Math.log10(maxX)));
        double logMin = Math.floor(Math.log10(minY));
        double logMax = Math.ceil(Math.log10(maxY));
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        g.drawString("Fan-out: deliveries per second vs p99 latency (one topic, one publisher)", LEFT, 32);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

        // grid and axes, both logarithmic: 1-2-5 lines on x, decades on y
        g.setStroke(new BasicStroke(1f));
        for (double d = xMin; d <= xMax; d++) {
            for (int m : new int[] {1, 2, 5}) {
                double x = m * Math.pow(10, d);
                if (Math.log10(x) > xMax + 1e-9) {
                    break;
                }
                int px = xOf(x, xMin, xMax, pw);
                g.setColor(m == 1 ? new Color(0xDDDDDD) : new Color(0xF0F0F0));
                g.drawLine(px, TOP, px, TOP + ph);
                g.setColor(Color.DARK_GRAY);
                String label = x >= 1e6 ? String.format(Locale.ROOT, "%sM", fmtShort(x / 1e6)) : x >= 1e3
                        ? String.format(Locale.ROOT, "%sk", fmtShort(x / 1e3)) : fmtShort(x);
                g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, TOP + ph + 18);
            }
        }
        for (double d = logMin; d <= logMax; d++) {
            int py = yOf(Math.pow(10, d), logMin, logMax, ph);
            g.setColor(new Color(0xDDDDDD));
            g.drawLine(LEFT, py, LEFT + pw, py);
            g.setColor(Color.DARK_GRAY);
            String label = Math.pow(10, d) >= 1 ? String.format(Locale.ROOT, "%,.0f ms", Math.pow(10, d)) : String.format(Locale.ROOT, "%s ms", Math.pow(10, d));
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), py + 4);
        }
        int target = yOf(10, logMin, logMax, ph);
        g.setColor(new Color(0xAAAAAA));
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        g.drawLine(LEFT, target, LEFT + pw, target);
        g.drawString("10 ms (p99 target)", LEFT + pw - 125, target - 4);
        g.setStroke(new BasicStroke(1.2f));
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, pw, ph);
        g.drawString("deliveries per second, log scale (messages received by all subscribers)", LEFT + pw / 2 - 200, H - 22);
        Graphics2D gy = (Graphics2D) g.create();
        gy.rotate(-Math.PI / 2);
        gy.drawString("p99 latency (log scale)", -(TOP + ph / 2 + 60), 22);
        gy.dispose();

        // series
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            Color c = COLORS[i % COLORS.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(2.2f));
            int[] prev = null;
            for (double[] p : s.points()) {
                int px = xOf(p[0], xMin, xMax, pw);
                int py = yOf(p[1], logMin, logMax, ph);
                if (prev != null) {
                    g.drawLine(prev[0], prev[1], px, py);
                }
                if (p[2] > 0) {
                    g.fillOval(px - 5, py - 5, 10, 10);
                } else {
                    g.setColor(Color.WHITE);
                    g.fillOval(px - 5, py - 5, 10, 10);
                    g.setColor(c);
                    g.drawOval(px - 5, py - 5, 10, 10);
                }
                prev = new int[] {px, py};
            }
            int ly = TOP + 20 + i * 24;
            g.fillRect(LEFT + pw + 20, ly - 8, 22, 4);
            g.fillOval(LEFT + pw + 26, ly - 11, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), LEFT + pw + 50, ly - 1);
        }
        g.setColor(Color.DARK_GRAY);
        FontMetrics fm = g.getFontMetrics();
        int ny = TOP + 30 + series.size() * 24;
        g.drawString("filled: sustained step", LEFT + pw + 20, ny);
        g.drawString("hollow: fell behind", LEFT + pw + 20, ny + fm.getHeight());
        g.dispose();
        return img;
    }

    static int xOf(double v, double logMin, double logMax, int pw) {
        double f = (Math.log10(Math.max(v, Math.pow(10, logMin))) - logMin) / (logMax - logMin);
        return LEFT + (int) (pw * f);
    }

    static String fmtShort(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static int yOf(double v, double logMin, double logMax, int ph) {
        double f = (Math.log10(Math.max(v, Math.pow(10, logMin))) - logMin) / (logMax - logMin);
        return TOP + ph - (int) (ph * f);
    }
}
