package io.pushgate.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.pushgate.web.browser.Chromium.Screen;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The moderator view. backend-app is not part of this suite, so the test does what its moderator
 * does, through the same APIs: it stars the words of a message (an edit), writes the log events
 * and takes the author's right to post away (a principal override at the gateway).
 */
@ExtendWith(BrowserExtension.class)
@Order(3)
class ModeratorIT {

    private static final String ROOM = "chat/moderated";
    private static final String LOG = "moderation/log";

    @Test
    void anAdministratorSeesTheLiveLogTheFlaggedMessagesAndWhoLostTheRightToPost(PushgateSystem system, Chromium chromium) {
        system.addRoom(ROOM);
        system.addTimeSeries(LOG, Map.of());
        system.addPrincipal("mallory", "mallory-password");
        String mallory = system.token("mallory", "mallory-password");
        String admin = system.adminToken();
        long first = PushgateSystem.post(system.gateway, ROOM, mallory, "what the heck is this", "mallory");
        long second = PushgateSystem.post(system.gateway, ROOM, mallory, "darn it, heck again", "mallory");
        moderate(system, first, "what the h**k is this", List.of("heck"), 1);
        moderate(system, second, "d**n it, h**k again", List.of("darn", "heck"), 2);
        log(system, Map.of("action", "revoke", "room", ROOM, "principal", "mallory", "seq", second, "words", List.of(),
                "permissions", List.of("SELECT_TOPIC", "READ_TOPIC"), "time", Instant.now().toString()));
        Http.json("PUT", system.gateway.httpUrl() + "/v1/security/principals/mallory", admin,
                Map.of("pathPermissions", Map.of(ROOM, List.of("SELECT_TOPIC", "READ_TOPIC"))));

        Page page = chromium.newPage(Screen.DESKTOP);
        Page phone = null;
        Page author = null;
        try {
            page.navigate(system.webUrl() + "/moderator.html");
            assertThat(page.locator("#admin-required")).isVisible();
            Pages.signIn(page, "admin", system.adminPassword);
            Pages.awaitConnected(page);

            assertThat(page.locator("#log-rows tr")).hasCount(3);
            assertThat(page.locator("#log-rows tr").first()).containsText("revoke");
            Locator flagged = page.locator("#flagged-list li.flagged");
            assertThat(flagged).hasCount(2);
            assertThat(flagged.first()).containsText("“darn it, heck again”");   // the original, from the edits view
            assertThat(flagged.first()).containsText("strike 2");
            Locator revoked = page.locator("#revoked-list li[data-principal='mallory']");
            assertThat(revoked).containsText(ROOM + ": SELECT_TOPIC, READ_TOPIC");
            assertThat(revoked).containsText("cannot post");

            // live: a new log event shows without a reload
            long third = PushgateSystem.post(system.gateway, "chat/lobby", system.token("bob", "bob-password"), "oh darn", "bob");
            log(system, Map.of("action", "bleep", "room", "chat/lobby", "principal", "bob", "seq", third, "words", List.of("darn"),
                    "time", Instant.now().toString()));
            assertThat(page.locator("#log-rows tr")).hasCount(4);
            assertThat(flagged).hasCount(3);
            chromium.screenshot(page, "moderator-desktop");

            phone = chromium.newPage(Screen.PHONE);
            phone.navigate(system.webUrl() + "/moderator.html");
            Pages.signIn(phone, "admin", system.adminPassword);
            assertThat(phone.locator("#log-rows tr")).hasCount(4);
            chromium.screenshot(phone, "moderator-phone");

            // mallory herself is told she may no longer post there
            author = chromium.newPage(Screen.DESKTOP);
            author.navigate(system.webUrl() + "/#moderated");
            Pages.signIn(author, "mallory", "mallory-password");
            Pages.openRoom(author, system.webUrl(), "moderated");
            assertThat(Pages.message(author, "what the h**k is this").locator(".edited")).hasText("(edited by admin)");
            Pages.send(author, "let me speak");
            assertThat(author.locator("#room-notice")).containsText("your right to post here has been taken away");

            // the administrator gives the right back
            revoked.getByText("Restore their rights").click();
            assertThat(revoked).containsText("No overrides at the gateway now");
        } finally {
            Chromium.close(page);
            Chromium.close(phone);
            Chromium.close(author);
        }
    }

    @Test
    void someoneWhoIsNotAnAdministratorIsAskedToSignInAsOne(PushgateSystem system, Chromium chromium) {
        Page page = chromium.newPage(Screen.DESKTOP);
        try {
            page.navigate(system.webUrl() + "/moderator.html");
            Pages.signIn(page, "alice", "alice-password");
            assertThat(page.locator("#admin-required")).containsText("alice, who is not an administrator");
            assertThat(page.locator("#moderation")).isHidden();
        } finally {
            Chromium.close(page);
        }
    }

    /** What backend-app does to a message with bad words: star them (an edit) and log it. */
    private static void moderate(PushgateSystem system, long seq, String starred, List<String> words, int strikes) {
        Http.json("PUT", system.gateway.httpUrl() + "/v1/timeseries/" + ROOM + "/" + seq, system.adminToken(),
                Map.of("text", starred, "user", "mallory"));
        log(system, Map.of("action", "strike", "room", ROOM, "principal", "mallory", "seq", seq, "words", words, "strikes", strikes,
                "time", Instant.now().toString()));
    }

    private static void log(PushgateSystem system, Map<String, Object> entry) {
        Http.json("POST", system.gateway.httpUrl() + "/v1/topics/" + LOG, system.adminToken(), entry);
    }
}
