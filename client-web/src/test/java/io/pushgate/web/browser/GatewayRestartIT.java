package io.pushgate.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import io.pushgate.web.browser.Chromium.Screen;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway the page is connected to restarts. While it is down, 60 messages are posted through
 * a second replica on the same Redis: more than the room's subscription range (50), so that a page
 * which merely subscribed again would miss the first ten. The page must recover every one of
 * them by resubscribing with {@code since} (the last seq it saw), once each.
 */
@ExtendWith(BrowserExtension.class)
@Order(4)
class GatewayRestartIT {

    private static final int MISSED = 60;

    @Test
    void aReconnectAfterTheGatewayRestartsBringsBackTheMissedMessages(PushgateSystem system, Chromium chromium) {
        String alice = system.token("alice", "alice-password");
        PushgateSystem.post(system.gateway, "chat/restart", alice, "before the restart", "alice");
        Page page = chromium.newPage(Screen.DESKTOP);
        try {
            page.navigate(system.webUrl() + "/#restart");
            Pages.signIn(page, "alice", "alice-password");
            Pages.openRoom(page, system.webUrl(), "restart");
            assertThat(Pages.message(page, "before the restart")).isVisible();

            system.gateway.stop();
            assertThat(page.locator("#connection-status")).hasAttribute("data-state", "reconnecting");
            assertThat(page.locator("#connection-status")).containsText("Reconnecting");
            for (int i = 1; i <= MISSED; i++) {
                PushgateSystem.post(system.replica, "chat/restart", alice, "missed " + i, "alice");
            }
            chromium.screenshot(page, "chat-reconnecting-desktop");
            assertThat(Pages.message(page, "missed 1")).hasCount(0);

            system.gateway.start();
            Pages.awaitConnected(page);
            assertThat(Pages.message(page, "missed " + MISSED)).isVisible();
            assertThat(page.locator("#messages li.message")).hasCount(MISSED + 1);
            for (int i = 1; i <= MISSED; i++) {
                assertThat(page.locator("#messages li.message p.text").getByText("missed " + i, new com.microsoft.playwright.Locator.GetByTextOptions().setExact(true)))
                        .hasCount(1);
            }
            assertThat(page.locator("#messages li.message p.text").allTextContents())
                    .startsWith("before the restart", "missed 1", "missed 2");
        } finally {
            Chromium.close(page);
        }
    }
}
