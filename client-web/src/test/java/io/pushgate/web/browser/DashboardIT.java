package io.pushgate.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import io.pushgate.testsupport.Http;
import io.pushgate.web.browser.Chromium.Screen;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The price dashboard: both charts advance as prices arrive, raw through the bridge and through
 * the gateway's topic view; the counters are price updates and their bytes, exactly what came
 * over each WebSocket, and the saving is per update; a chart with one price draws it with axes
 * around it; the feed control is there only for those who may use it, and sends their token.
 *
 * <p>What the saving compares is what the page compares: the gateway chart's topic view
 * ({@code views/btc/usd}, one number) against the whole BPI document raw from Redis, not the same
 * data both ways; so the test's name says "the USD view" and "the whole raw document". What
 * deltas save on the same document is measured by topic-gateway's {@code DeltaBandwidthTest}.
 */
@ExtendWith(BrowserExtension.class)
@Order(2)
class DashboardIT {

    private static final String CHANNEL = "prices.btc";
    /** The series colours of dashboard.js. */
    private static final int[] RAW_COLOUR = {0xd9, 0x48, 0x0f};
    private static final int[] GATEWAY_COLOUR = {0x18, 0x64, 0xab};

    @Test
    void bothChartsAdvanceAndTheUsdViewCostsFewerBytesPerPriceUpdateThanTheWholeRawDocument(PushgateSystem system, Chromium chromium) {
        Page page = chromium.newPage(Screen.DESKTOP);
        Page phone = null;
        try {
            FrameLog wire = FrameLog.of(page);
            page.navigate(system.webUrl() + "/dashboard.html");
            Pages.signIn(page, "admin", system.adminPassword);
            Pages.awaitConnected(page);
            // No view yet: the administrator is offered to create it.
            assertThat(page.locator("#view-hint")).containsText("views/btc/usd");
            page.locator("#create-view").click();
            assertThat(page.locator("#view-hint")).containsText("View created");
            assertThat(page.locator("#saving-summary")).hasText("The saving per price update shows once both have received a price.");

            // The first price: one point on each chart, drawn, with axes around it.
            publish(system, 43_017.5);
            await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> points(page, "raw") == 1 && points(page, "gateway") == 1);
            assertALonePointWithAxesAroundIt(page, "raw", 43_017.5, RAW_COLOUR);
            assertALonePointWithAxesAroundIt(page, "gateway", 43_017.5, GATEWAY_COLOUR);

            for (int i = 2; i <= 8; i++) {
                publish(system, 43_000 + 17.5 * i + (i % 3) * 40);
                int expected = i;
                await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> points(page, "raw") >= expected && points(page, "gateway") >= expected);
            }
            assertThat(page.locator("#raw-updates")).hasText("8");
            assertThat(page.locator("#gateway-updates")).hasText("8");
            assertThat(page.locator("#raw-price")).hasText("$43,220.00");
            assertThat(page.locator("#gateway-price")).hasText("$43,220.00");
            double saving = assertTheCountersAreWhatCameOverTheWire(page, wire);
            assertThat(saving).as("the saving per price update of the one-number USD view against the whole raw document").isGreaterThan(0.9);
            assertTheCurrencyPanelSplitsTheDocument(page, wire, 8, 43_220.0);
            // the gateway's totals hold more than its price updates (fetch, ok, subscription...): not compared
            assertThat(bytes(page, "gateway")).isGreaterThan(updateBytes(page, "gateway"));
            assertThat(page.locator("#feed-actions")).isVisible();   // an administrator may start the feed
            chromium.screenshot(page, "dashboard-desktop");

            phone = chromium.newPage(Screen.PHONE);
            FrameLog phoneWire = FrameLog.of(phone);
            phone.navigate(system.webUrl() + "/dashboard.html");
            Pages.awaitConnected(phone);
            // the gateway sends the current price on subscribing: one point, drawn, axes around it
            Page p = phone;
            await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> points(p, "gateway") == 1);
            assertALonePointWithAxesAroundIt(phone, "gateway", 43_220.0, GATEWAY_COLOUR);
            for (int i = 1; i <= 4; i++) {
                publish(system, 43_180 - 25.0 * i);
                int expected = i;
                await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> points(p, "raw") >= expected && points(p, "gateway") >= expected + 1);
            }
            assertThat(phone.locator("#gateway-price")).hasText("$43,080.00");
            assertThat(phone.locator("#raw-updates")).hasText("4");
            assertThat(phone.locator("#gateway-updates")).hasText("5");
            assertThat(assertTheCountersAreWhatCameOverTheWire(phone, phoneWire)).isGreaterThan(0.9);
            chromium.screenshot(phone, "dashboard-phone");
        } finally {
            Chromium.close(page);
            Chromium.close(phone);
        }
    }

    @ParameterizedTest
    @EnumSource(Screen.class)
    void theFeedControlIsOfferedOnlyToTopicControlAndAdministratorsAndSendsTheirToken(Screen screen, PushgateSystem system, Chromium chromium) {
        Page anonymous = chromium.newPage(screen);
        Page alice = chromium.newPage(screen);
        Page carol = chromium.newPage(screen);
        try {
            anonymous.navigate(system.webUrl() + "/dashboard.html");
            assertThat(anonymous.locator("#feed-state")).hasText("stopped (replay)");
            assertThat(anonymous.locator("#feed-start")).isHidden();
            assertThat(anonymous.locator("#feed-stop")).isHidden();
            assertThat(anonymous.locator("#feed-hint")).containsText("takes the role TOPIC_CONTROL or ADMINISTRATOR");

            alice.navigate(system.webUrl() + "/dashboard.html");
            Pages.signIn(alice, "alice", "alice-password");
            assertThat(alice.locator("#feed-state")).hasText("stopped (replay)");
            assertThat(alice.locator("#feed-start")).isHidden();
            assertThat(alice.locator("#feed-hint")).containsText("alice has CLIENT");

            List<Request> feedCalls = new CopyOnWriteArrayList<>();
            carol.onRequest(r -> {
                if (r.url().startsWith(system.feeder.httpUrl() + "/v1/feed/")) {
                    feedCalls.add(r);
                }
            });
            carol.navigate(system.webUrl() + "/dashboard.html");
            Pages.signIn(carol, "carol", "carol-password");    // TOPIC_CONTROL
            assertThat(carol.locator("#feed-hint")).isHidden();
            assertThat(carol.locator("#feed-state")).hasText("stopped (replay)");
            carol.getByText("Start feed").click();
            assertThat(carol.locator("#feed-state")).hasText("running (replay)");
            // the feeder publishes to Redis: the raw chart moves without the test publishing anything
            await().pollInSameThread().atMost(Duration.ofSeconds(15)).until(() -> points(carol, "raw") >= 2);
            carol.getByText("Stop feed").click();
            assertThat(carol.locator("#feed-state")).hasText("stopped (replay)");
            assertThat(carol.getByText("Start feed")).isEnabled();

            String token = Pages.sessionToken(carol);
            assertThat(feedCalls).extracting(Request::url)
                    .containsExactly(system.feeder.httpUrl() + "/v1/feed/start", system.feeder.httpUrl() + "/v1/feed/stop");
            assertThat(feedCalls).allSatisfy(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.headerValue("authorization")).isEqualTo("Bearer " + token);
            });
        } finally {
            Chromium.close(anonymous);
            Chromium.close(alice);
            Chromium.close(carol);
        }
    }

    /**
     * The page's counters are exactly the price updates that came over its two WebSockets (as
     * Chromium saw them), and its saving is theirs per update; returns that saving.
     */
    /**
     * The currency panel, fed by the view {@code btc-currencies} (created with the USD view from the
     * page): Diffusion's {@code expand} gives one reference topic per member of {@code /bpi}, and
     * {@code process} leaves each with its code and rate only. The page shows the three currencies at
     * the last price; its count of price updates and their bytes are what Chromium saw on the panel's
     * own connection; and a price update costs it fewer bytes than the whole document costs raw.
     */
    private static void assertTheCurrencyPanelSplitsTheDocument(Page page, FrameLog wire, int prices, double usd) {
        String[][] expected = {
                {"views/btc/currency/EUR", "EUR", String.format(Locale.ROOT, "€%,.2f", Math.round(usd * 0.92 * 100) / 100.0)},
                {"views/btc/currency/GBP", "GBP", String.format(Locale.ROOT, "£%,.2f", Math.round(usd * 0.79 * 100) / 100.0)},
                {"views/btc/currency/USD", "USD", String.format(Locale.ROOT, "$%,.2f", usd)},
        };
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(page.locator("#currency-rows tr")).hasCount(3);
            for (int i = 0; i < expected.length; i++) {
                assertThat(page.locator("#currency-rows tr").nth(i)).hasAttribute("data-topic", expected[i][0]);
                assertThat(page.locator("#currency-rows tr").nth(i).locator("td").nth(1)).hasText(expected[i][1]);
                assertThat(page.locator("#currency-rows tr").nth(i).locator("td.rate")).hasText(expected[i][2]);
            }
            assertThat(page.locator("#currency-updates")).hasText(String.valueOf(prices));
        });
        // each currency topic holds its code and rate only: process removed symbol, description and rate
        FrameLog.Socket panel = wire.pump().currencyPanel();
        assertThat(panel).as("the currency panel's own connection").isNotNull();
        // a value names its topic by the tid its subscription message gave it; in fossil mode it is the exact text
        String tid = panel.messages(List.of("subscription")).stream().map(FrameLog::json)
                .filter(m -> "views/btc/currency/USD".equals(m.path("topic").asText())).findFirst().orElseThrow().path("tid").asText();
        JsonNode first = panel.messages(List.of("value")).stream().map(FrameLog::json)
                .filter(m -> tid.equals(m.path("tid").asText())).findFirst().orElseThrow();
        JsonNode usdValue = first.has("text") ? FrameLog.json(first.path("text").asText()) : first.path("value");
        assertThat(usdValue.has("code") && usdValue.has("rate_float")).as(usdValue.toString()).isTrue();
        assertThat(usdValue.has("symbol") || usdValue.has("description") || usdValue.has("rate")).as(usdValue.toString()).isFalse();

        long[] bytes = new long[1];
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            bytes[0] = wire.pump().currencyUpdates().bytes();
            assertThat(Long.parseLong(page.locator("#currency-updates").getAttribute("data-bytes"))).isEqualTo(bytes[0]);
            assertThat(page.locator("#currency-per-update").textContent()).isEqualTo(Math.round((double) bytes[0] / prices) + " B");
        });
        FrameLog.Updates raw = wire.rawUpdates();
        double perRaw = (double) raw.bytes() / raw.count();
        double perCurrencies = (double) bytes[0] / prices;
        System.out.printf(Locale.ROOT, "per price update: raw %.1f B, one topic per currency (3 topics, expand + process) %.1f B%n", perRaw, perCurrencies);
        assertThat(perCurrencies).as("bytes per price update of three currency topics vs the raw document").isLessThan(perRaw);
    }

    private static double assertTheCountersAreWhatCameOverTheWire(Page page, FrameLog wire) {
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(new FrameLog.Updates(updateCount(page, "raw"), updateBytes(page, "raw"))).isEqualTo(wire.rawUpdates());
            assertThat(new FrameLog.Updates(updateCount(page, "gateway"), updateBytes(page, "gateway"))).isEqualTo(wire.gatewayUpdates());
        });
        FrameLog.Updates raw = wire.rawUpdates();
        FrameLog.Updates gateway = wire.gatewayUpdates();
        double perRaw = (double) raw.bytes() / raw.count();
        double perGateway = (double) gateway.bytes() / gateway.count();
        double saving = 1 - perGateway / perRaw;
        String percent = String.format(Locale.ROOT, "%.1f %%", saving * 100);
        await().pollInSameThread().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(page.locator("#raw-per-update").textContent()).isEqualTo(Math.round(perRaw) + " B");
            assertThat(page.locator("#gateway-per-update").textContent()).isEqualTo(Math.round(perGateway) + " B");
            assertThat(page.locator("#gateway-saving").textContent()).isEqualTo(percent);
        });
        assertThat(page.locator("#saving-summary")).hasText("Per price update: " + Math.round(perGateway) + " B through the gateway instead of "
                + Math.round(perRaw) + " B raw, " + percent + " fewer bytes.");
        System.out.printf(Locale.ROOT, "per price update: raw %.1f B (%d updates), gateway %.1f B (%d updates): %s fewer%n",
                perRaw, raw.count(), perGateway, gateway.count(), percent);
        return saving;
    }

    /**
     * A chart holding one price: its axes are around that price (a narrow band, not from $0) and
     * around its time (a minute, not a day or years), and the point is drawn: the canvas has
     * pixels of the series colour.
     */
    static void assertALonePointWithAxesAroundIt(Page page, String feed, double price, int[] colour) {
        String chart = "#" + feed + "-chart";
        double[] y = range(page.locator(chart).getAttribute("data-y-range"));
        assertThat(y[0]).as("y axis from").isLessThan(price).isGreaterThan(price * 0.99);
        assertThat(y[1]).as("y axis to").isGreaterThan(price).isLessThan(price * 1.01);
        assertThat(price - y[0]).as("the price in the middle").isCloseTo(y[1] - price, org.assertj.core.data.Offset.offset(0.01));
        double[] x = range(page.locator(chart).getAttribute("data-x-range"));
        double now = System.currentTimeMillis() / 1000.0;
        assertThat(x[1] - x[0]).as("the time axis spans a minute").isEqualTo(60.0);
        assertThat((x[0] + x[1]) / 2).as("around the point's time").isBetween(now - 120, now + 5);
        Number pixels = (Number) page.evaluate("([selector, [r, g, b]]) => {"
                + "const canvas = document.querySelector(selector + ' canvas');"
                + "const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;"
                + "let n = 0;"
                + "for (let i = 0; i < data.length; i += 4) {"
                + "  if (Math.abs(data[i] - r) < 12 && Math.abs(data[i + 1] - g) < 12 && Math.abs(data[i + 2] - b) < 12 && data[i + 3] > 200) n++;"
                + "}"
                + "return n; }", List.of(chart, List.of(colour[0], colour[1], colour[2])));
        assertThat(pixels.intValue()).as("pixels of the point on " + feed).isGreaterThanOrEqualTo(20);
    }

    private static double[] range(String attribute) {
        assertThat(attribute).as("the chart's range").isNotNull().contains(",");
        String[] parts = attribute.split(",");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
    }

    /** The same document to Redis (the raw feed) and to the gateway topic the view reads (what backend-app would do). */
    static void publish(PushgateSystem system, double usd) {
        String doc = Bpi.document(usd);
        RedisPublisher.publish(system.redis.port(), CHANNEL, doc);
        Http.put(system.gateway.httpUrl() + "/v1/topics/prices/btc?type=JSON", system.adminToken(), "application/json", doc).expectSuccess();
    }

    /** Points on a chart. Read only from the test's thread (pollInSameThread): Playwright is not thread-safe. */
    static int points(Page page, String feed) {
        return Integer.parseInt(page.locator("#" + feed + "-chart").getAttribute("data-points"));
    }

    private static long bytes(Page page, String feed) {
        return Long.parseLong(page.locator("#" + feed + "-bytes").getAttribute("data-bytes"));
    }

    private static long updateCount(Page page, String feed) {
        return Long.parseLong(page.locator("#" + feed + "-updates").getAttribute("data-count"));
    }

    private static long updateBytes(Page page, String feed) {
        return Long.parseLong(page.locator("#" + feed + "-updates").getAttribute("data-bytes"));
    }
}
