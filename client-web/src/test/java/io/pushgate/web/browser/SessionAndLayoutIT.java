package io.pushgate.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.pushgate.testsupport.Http;
import io.pushgate.web.browser.Chromium.Screen;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every page shares: the session lasts for the whole origin (every tab) until its token
 * expires or the user signs out, it is renewed before the token expires and the open gateway
 * connection gets the new token, and on a phone the chat's composer stays on screen.
 */
@ExtendWith(BrowserExtension.class)
@Order(3)
class SessionAndLayoutIT {

    private static final LocatorAssertions.IsInViewportOptions WHOLLY = new LocatorAssertions.IsInViewportOptions().setRatio(1.0);

    @ParameterizedTest
    @EnumSource(Screen.class)
    void aSignInLastsInEveryTabOfTheOriginUntilItExpiresOrIsSignedOut(Screen screen, PushgateSystem system, Chromium chromium) {
        Page first = chromium.newPage(screen);
        try {
            first.navigate(system.webUrl() + "/#lobby");
            Pages.signIn(first, "bob", "bob-password");
            // kept for the origin, with its expiry (an hour from now, by the browser's clock)
            Map<?, ?> stored = storedSession(first);
            assertThat(((Number) stored.get("expiresAt")).doubleValue() - System.currentTimeMillis())
                    .isBetween(3_500_000.0, 3_600_000.0);
            assertThat(first.evaluate("() => sessionStorage.length")).isEqualTo(0);

            // a new tab is signed in, and connects to the gateway with the same token
            Page second = first.context().newPage();
            FrameLog wire = FrameLog.of(second);
            second.navigate(system.webUrl() + "/dashboard.html");
            assertThat(second.locator("#identity-badge")).containsText("bob");
            Pages.awaitConnected(second);
            assertThat(wire.gateway().url).contains("access_token=" + stored.get("token"));

            // signing out in one tab signs out all of them
            Pages.signOut(second);
            assertThat(first.locator("#identity-badge")).hasText("Anonymous · read-only");
            Page third = first.context().newPage();
            third.navigate(system.webUrl() + "/");
            assertThat(third.locator("#identity-badge")).hasText("Anonymous · read-only");

            // a session whose token has expired is not used by a new tab, and is dropped
            Pages.signIn(third, "bob", "bob-password");
            assertThat(first.locator("#identity-badge")).containsText("bob");
            third.evaluate("() => { const s = JSON.parse(localStorage.getItem('pushgate.session'));"
                    + " s.expiresAt = Date.now() - 1000; localStorage.setItem('pushgate.session', JSON.stringify(s)); }");
            Page fourth = first.context().newPage();
            fourth.navigate(system.webUrl() + "/dashboard.html");
            assertThat(fourth.locator("#identity-badge")).hasText("Anonymous · read-only");
            Pages.awaitConnected(fourth);
            assertThat(fourth.evaluate("() => localStorage.getItem('pushgate.session')")).isNull();
            assertThat(first.locator("#identity-badge")).hasText("Anonymous · read-only");
        } finally {
            Chromium.close(first);
        }
    }

    /**
     * With the auth-service of {@link PushgateSystem#shortSessions()} (tokens of 30 s, sessions of
     * 45 s), on a desktop and a phone at once: each page renews its token before it expires, sends
     * it on its open connection ({@code auth}), which the gateway accepts and keeps open past the
     * first token's expiry; when the session's lifetime is up the page goes on anonymously and says so.
     */
    @Test
    void aTokenIsRenewedBeforeItExpiresTheOpenConnectionGetsItAndTheSessionEndsWithItsLifetime(PushgateSystem system, Chromium chromium) {
        String web = system.shortSessions();
        ensurePriceView(system);
        Page desktop = chromium.newPage(Screen.DESKTOP);
        Page phone = chromium.newPage(Screen.PHONE);
        try {
            List<Page> pages = List.of(desktop, phone);
            List<String> users = List.of("alice", "bob");
            List<FrameLog> wires = pages.stream().map(FrameLog::of).toList();
            long[] firstExpiry = new long[2];
            String[] firstToken = new String[2];
            FrameLog.Socket[] sockets = new FrameLog.Socket[2];
            for (int i = 0; i < 2; i++) {
                Page page = pages.get(i);
                page.navigate(web + "/dashboard.html");
                Pages.signIn(page, users.get(i), users.get(i) + "-password");
                Pages.awaitConnected(page);
                firstToken[i] = Pages.sessionToken(page);
                firstExpiry[i] = claims(firstToken[i]).path("exp").asLong();
                sockets[i] = wires.get(i).gateway();
                assertThat(sockets[i].url).contains("access_token=" + firstToken[i]);
                assertThat(firstExpiry[i] - claims(firstToken[i]).path("iat").asLong()).isEqualTo(PushgateSystem.SHORT_TOKEN_LIFETIME.toSeconds());
            }

            for (int i = 0; i < 2; i++) {
                // renewed before the first token expires, on the same connection, and accepted
                FrameLog.Socket socket = sockets[i];
                FrameLog wire = wires.get(i);
                String user = users.get(i);
                await().pollInSameThread().atMost(Duration.ofSeconds(40)).until(() -> {
                    wire.pump();
                    return auths(socket).size() >= 1;
                });
                String renewed = auths(socket).get(0);
                assertThat(claims(renewed).path("iat").asLong()).as("renewed before the first token expired").isLessThan(firstExpiry[i]);
                assertThat(renewed).isNotEqualTo(firstToken[i]);
                assertThat(claims(renewed).path("sub").asText()).isEqualTo(user);
                assertThat(claims(renewed).path("exp").asLong()).isGreaterThan(firstExpiry[i]);
                await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> {
                    wire.pump();
                    return socket.messages(List.of("ok")).stream().map(FrameLog::json)
                            .anyMatch(ok -> user.equals(ok.path("principal").asText()) && ok.has("expiresAt"));
                });
                assertThat(Pages.sessionToken(pages.get(i))).as("the renewed token is the origin's").isEqualTo(renewed);
            }

            // past the first tokens' expiry: still signed in, the same connections open, prices arriving
            long later = Math.max(firstExpiry[0], firstExpiry[1]) + 2;
            await().atMost(Duration.ofSeconds(40)).until(() -> System.currentTimeMillis() / 1000 >= later);
            int[] before = new int[2];
            for (int i = 0; i < 2; i++) {
                before[i] = DashboardIT.points(pages.get(i), "gateway");
            }
            DashboardIT.publish(system, 43_333.0);
            for (int i = 0; i < 2; i++) {
                Page page = pages.get(i);
                int had = before[i];
                await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> DashboardIT.points(page, "gateway") > had);
                assertThat(page.locator("#identity-badge")).containsText(users.get(i));
                assertThat(page.locator("#connection-status")).hasAttribute("data-state", "open");
                assertThat(sockets[i].closed).as("the connection the page opened at sign-in").isFalse();
                assertThat(wires.get(i).gateway()).as("no other connection was needed").isSameAs(sockets[i]);
            }

            // the session's 45 s are up: the page goes on anonymously, says why, and connects again
            for (int i = 0; i < 2; i++) {
                Page page = pages.get(i);
                assertThat(page.locator("#identity-badge")).hasText("Anonymous · read-only",
                        new LocatorAssertions.HasTextOptions().setTimeout(40_000));
                assertThat(page.locator("#session-notice")).hasText("Your sign-in has expired: sign in again.");
                assertThat(System.currentTimeMillis() / 1000).isGreaterThan(firstExpiry[i]);
                assertThat(page.evaluate("() => localStorage.getItem('pushgate.session')")).isNull();
                Pages.awaitConnected(page);
            }
        } finally {
            Chromium.close(desktop);
            Chromium.close(phone);
        }
    }

    @ParameterizedTest
    @EnumSource(Screen.class)
    void theComposerStaysOnScreenInABusyRoom(Screen screen, PushgateSystem system, Chromium chromium) {
        String bob = system.token("bob", "bob-password");
        for (int i = system.texts("chat/lobby").size(); i < 60; i++) {
            PushgateSystem.post(system.gateway, "chat/lobby", bob, "A busy room, message " + (i + 1) + " of 60", "bob");
        }
        Page page = chromium.newPage(screen);
        Page anonymous = chromium.newPage(screen);
        try {
            page.navigate(system.webUrl() + "/#lobby");
            Pages.signIn(page, "alice", "alice-password");
            Pages.openRoom(page, system.webUrl(), "lobby");
            await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> page.locator("#messages li.message").count() >= 40);
            assertTheComposerIsOnScreen(page, screen);
            assertThat(page.locator("#messages li.message").last()).isInViewport();

            String typed = "Typed on a " + screen.name().toLowerCase() + ", the composer in sight";
            Pages.send(page, typed);
            assertThat(Pages.message(page, typed)).isInViewport();
            assertTheComposerIsOnScreen(page, screen);
            if (screen == Screen.PHONE) {
                chromium.screenshot(page, "chat-busy-phone");
            }

            // with the anonymous reader's hint and the read-only notice too
            Pages.openRoom(anonymous, system.webUrl(), "lobby");
            Pages.send(anonymous, "may I?");
            assertThat(anonymous.locator("#room-notice")).isVisible();
            assertTheComposerIsOnScreen(anonymous, screen);
        } finally {
            Chromium.close(page);
            Chromium.close(anonymous);
        }
    }

    /** The message field and the Send button are wholly on screen, and on a phone the page itself does not scroll. */
    private static void assertTheComposerIsOnScreen(Page page, Screen screen) {
        Locator input = page.getByLabel("Message", new Page.GetByLabelOptions().setExact(true));
        assertThat(input).isInViewport(WHOLLY);
        assertThat(page.locator("#send-button")).isInViewport(WHOLLY);
        double bottom = input.boundingBox().y + input.boundingBox().height;
        assertThat(bottom).as("the composer's bottom edge").isLessThanOrEqualTo(screen.height);
        if (screen == Screen.PHONE) {
            assertThat(((Number) page.evaluate("() => document.scrollingElement.scrollHeight")).intValue())
                    .as("the page is as tall as the screen; only the messages scroll").isLessThanOrEqualTo(screen.height);
        }
    }

    /** The tokens the page sent with {@code {"op":"auth"}} on a connection. */
    private static List<String> auths(FrameLog.Socket socket) {
        return socket.sent.stream().map(FrameLog::json).filter(m -> "auth".equals(m.path("op").asText()))
                .map(m -> m.path("token").asText()).toList();
    }

    private static Map<?, ?> storedSession(Page page) {
        Object stored = page.evaluate("() => JSON.parse(localStorage.getItem('pushgate.session'))");
        assertThat(stored).as("the stored session").isInstanceOf(Map.class);
        return (Map<?, ?>) stored;
    }

    /** A JWT's claims, unverified (the services verify; the test only reads them). */
    private static JsonNode claims(String jwt) {
        String payload = jwt.split("\\.")[1];
        return FrameLog.json(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }

    /** The dashboard's view, as the administrator would create it (DashboardIT does it from the page when it runs first). */
    private static void ensurePriceView(PushgateSystem system) {
        Http.put(system.gateway.httpUrl() + "/v1/views/btc-usd", system.adminToken(), "text/plain",
                "map ?prices/.+ to views/<path(1)>/usd as <value(/bpi/USD/rate_float)>").expectSuccess();
        DashboardIT.publish(system, 43_300.0);
    }
}
