package io.pushgate.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Page;
import io.pushgate.web.browser.Chromium.Screen;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The price dashboard: both charts advance as prices arrive, raw through the bridge and through
 * the gateway's topic view, and the gateway costs fewer bytes; the feed control drives the feeder.
 */
@ExtendWith(BrowserExtension.class)
@Order(2)
class DashboardIT {

    private static final String CHANNEL = "prices.btc";

    @Test
    void bothChartsAdvanceAndTheGatewayReceivesFewerBytesThanRawRedis(PushgateSystem system, Chromium chromium) {
        Page page = chromium.newPage(Screen.DESKTOP);
        Page phone = null;
        try {
            page.navigate(system.webUrl() + "/dashboard.html");
            Pages.signIn(page, "admin", system.adminPassword);
            Pages.awaitConnected(page);
            // No view yet: the administrator is offered to create it.
            assertThat(page.locator("#view-hint")).containsText("views/btc/usd");
            page.locator("#create-view").click();
            assertThat(page.locator("#view-hint")).containsText("View created");

            List<long[]> samples = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                publish(system, 43_000 + 17.5 * i + (i % 3) * 40);
                int expected = i;
                await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> points(page, "raw") >= expected && points(page, "gateway") >= expected);
                samples.add(new long[] {bytes(page, "raw"), bytes(page, "gateway")});
            }
            assertThat(page.locator("#raw-messages")).hasText("8");
            assertThat(page.locator("#raw-price")).hasText("$43,220.00");
            assertThat(page.locator("#gateway-price")).hasText("$43,220.00");
            for (long[] s : samples) {
                assertThat(s[1]).as("gateway bytes stay below raw bytes (raw %d)", s[0]).isLessThan(s[0]);
            }
            assertThat(page.locator("#gateway-saving")).containsText("%");
            assertThat(page.locator("#saving-summary")).containsText("fewer bytes");
            chromium.screenshot(page, "dashboard-desktop");

            phone = chromium.newPage(Screen.PHONE);
            phone.navigate(system.webUrl() + "/dashboard.html");
            Pages.awaitConnected(phone);
            for (int i = 1; i <= 4; i++) {
                publish(system, 43_180 - 25.0 * i);
                int expected = i;
                Page p = phone;
                await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> points(p, "raw") >= expected);
            }
            assertThat(phone.locator("#gateway-price")).hasText("$43,080.00");
            chromium.screenshot(phone, "dashboard-phone");
        } finally {
            Chromium.close(page);
            Chromium.close(phone);
        }
    }

    @Test
    void theFeedControlStartsAndStopsTheDataFeeder(PushgateSystem system, Chromium chromium) {
        Page page = chromium.newPage(Screen.DESKTOP);
        try {
            page.navigate(system.webUrl() + "/dashboard.html");
            assertThat(page.locator("#feed-state")).hasText("stopped (replay)");
            page.getByText("Start feed").click();
            assertThat(page.locator("#feed-state")).hasText("running (replay)");
            // the feeder publishes to Redis: the raw chart moves without the test publishing anything
            await().pollInSameThread().atMost(Duration.ofSeconds(15)).until(() -> points(page, "raw") >= 2);
            page.getByText("Stop feed").click();
            assertThat(page.locator("#feed-state")).hasText("stopped (replay)");
            assertThat(page.getByText("Start feed")).isEnabled();
        } finally {
            Chromium.close(page);
        }
    }

    /** The same document to Redis (the raw feed) and to the gateway topic the view reads (what backend-app would do). */
    private static void publish(PushgateSystem system, double usd) {
        String doc = Bpi.document(usd);
        RedisPublisher.publish(system.redis.port(), CHANNEL, doc);
        Http.send("PUT", system.gateway.httpUrl() + "/v1/topics/prices/btc?type=JSON", system.adminToken(), "application/json", doc);
    }

    /** Points on a chart. Read only from the test's thread (pollInSameThread): Playwright is not thread-safe. */
    private static int points(Page page, String feed) {
        return Integer.parseInt(page.locator("#" + feed + "-chart").getAttribute("data-points"));
    }

    private static long bytes(Page page, String feed) {
        return Long.parseLong(page.locator("#" + feed + "-bytes").getAttribute("data-bytes"));
    }
}
