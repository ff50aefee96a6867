package io.pushgate.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import io.pushgate.web.browser.Chromium.Screen;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The moderator view and the people it moderates, against the real backend-app: its log, the
 * flagged messages, who lost the right to post (live, from their status topics), Restore; the
 * person revoked is told at once and may post again after a restore, without reloading.
 */
@ExtendWith(BrowserExtension.class)
@Order(3)
class ModeratorIT {

    private static final String ROOM = "chat/moderated";

    @Test
    void anAdministratorSeesTheLiveLogTheFlaggedMessagesAndWhoLostTheRightToPost(PushgateSystem system, Chromium chromium) {
        system.addRoom(ROOM);
        system.addPrincipal("mallory", "mallory-password");
        String mallory = system.token("mallory", "mallory-password");
        PushgateSystem.post(system.gateway, ROOM, mallory, "what the heck is this", "mallory");
        PushgateSystem.post(system.gateway, ROOM, mallory, "darn it, heck again", "mallory");
        PushgateSystem.post(system.gateway, ROOM, mallory, "oh darn", "mallory");
        await().atMost(Duration.ofSeconds(20)).until(() -> actions(system, "mallory").contains("revoke"));
        assertThat(actions(system, "mallory")).containsExactly("bleep", "strike", "bleep", "strike", "bleep", "strike", "revoke");
        assertThat(system.overrides("mallory").path("pathPermissions").path(ROOM).toString()).isEqualTo("[\"SELECT_TOPIC\",\"READ_TOPIC\"]");

        Page page = chromium.newPage(Screen.DESKTOP);
        Page phone = null;
        Page author = null;
        try {
            page.navigate(system.webUrl() + "/moderator.html");
            assertThat(page.locator("#admin-required")).isVisible();
            Pages.signIn(page, "admin", system.adminPassword);
            Pages.awaitConnected(page);

            assertThat(logRows(page, "mallory")).hasCount(7);
            assertThat(logRows(page, "mallory").first()).containsText("revoke");
            Locator flagged = page.locator("#flagged-list li.flagged").filter(new Locator.FilterOptions().setHasText("mallory"));
            assertThat(flagged).hasCount(3);
            assertThat(flagged.first()).containsText("“oh darn”");   // what was written, from the edits view
            assertThat(flagged.first()).containsText("strike 3");
            assertThat(flagged.nth(1)).containsText("“darn it, heck again”");
            Locator revoked = page.locator("#revoked-list li[data-principal='mallory']");
            assertThat(revoked.locator(".now")).containsText("cannot post " + ROOM);
            assertThat(revoked.locator(".overrides")).containsText(ROOM + ": SELECT_TOPIC, READ_TOPIC");
            assertThat(revoked.getByText("Restore in " + ROOM)).isVisible();

            // live: a new flagged message shows without a reload
            PushgateSystem.post(system.gateway, "chat/lobby", system.token("bob", "bob-password"), "oh heck, the chart", "bob");
            assertThat(page.locator("#flagged-list li.flagged").first()).containsText("“oh heck, the chart”");
            assertThat(logRows(page, "bob").first()).containsText("strike");
            chromium.screenshot(page, "moderator-desktop");

            phone = chromium.newPage(Screen.PHONE);
            phone.navigate(system.webUrl() + "/moderator.html");
            Pages.signIn(phone, "admin", system.adminPassword);
            assertThat(logRows(phone, "mallory")).hasCount(7);
            assertThat(phone.locator("#revoked-list li[data-principal='mallory'] .now")).containsText("cannot post");
            chromium.screenshot(phone, "moderator-phone");

            // mallory is told on entering the room, before she tries anything
            author = chromium.newPage(Screen.DESKTOP);
            author.navigate(system.webUrl() + "/#moderated");
            Pages.signIn(author, "mallory", "mallory-password");
            Pages.openRoom(author, system.webUrl(), "moderated");
            assertThat(Pages.message(author, "what the **** is this").locator(".edited")).hasText("(edited by backend-app)");
            assertThat(author.locator("#room-notice")).containsText("The moderator took away your right to post in #moderated");
            assertThat(Pages.composer(author)).isDisabled();

            // the administrator gives the right back: her page says so and she posts again, without a reload
            revoked.getByText("Restore in " + ROOM).click();
            assertThat(revoked.locator(".restored")).hasText("They may post everywhere again (restored).");
            assertThat(revoked.locator(".restore-button")).hasCount(0);
            assertThat(revoked.locator(".history")).containsText("given back by admin");
            assertThat(author.locator("#room-notice")).hasText("You may post in #moderated again.");
            assertThat(Pages.composer(author)).isEnabled();
            Pages.send(author, "sorry, everyone");
            assertThat(Pages.message(author, "sorry, everyone")).isVisible();
            assertThat(actions(system, "mallory")).endsWith("revoke", "restore");
        } finally {
            Chromium.close(page);
            Chromium.close(phone);
            Chromium.close(author);
        }
    }

    /**
     * "Connected now": the moderator view lists the live sessions of every gateway replica (the
     * person's chat page is on the replica, the view on the other gateway), and Disconnect closes
     * that person's sessions with 4101: their page says a moderator disconnected them and does not
     * reconnect by itself.
     */
    @Test
    void theModeratorViewListsWhoIsConnectedAndDisconnectsThem(PushgateSystem system, Chromium chromium) {
        String name = "connie";
        system.addPrincipal(name, name + "-password");
        Page moderator = chromium.newPage(Screen.DESKTOP);
        Page person = chromium.newPage(Screen.DESKTOP);
        try {
            person.navigate(system.webUrl() + "/");
            Pages.signIn(person, name, name + "-password");
            Pages.awaitConnected(person);

            moderator.navigate(system.webUrl() + "/moderator.html");
            Pages.signIn(moderator, "admin", system.adminPassword);
            Pages.awaitConnected(moderator);
            Locator card = moderator.locator("#connected-list li.connected[data-principal='" + name + "']");
            assertThat(card).containsText(java.util.regex.Pattern.compile(name + " \\d+ sessions? \\(WEBSOCKET\\)"));
            assertThat(moderator.locator("#connected-list li.connected[data-principal='admin']")).isVisible();
            assertThat(moderator.locator("#connected-list li.connected[data-principal='admin'] .disconnect-button")).isHidden();
            chromium.screenshot(moderator, "moderator-connected-desktop");

            card.locator(".disconnect-button").click();
            assertThat(moderator.locator("#disconnect-message")).containsText(name + ": ");
            assertThat(moderator.locator("#disconnect-message")).containsText("session(s) closed.");
            Locator status = person.locator("#connection-status");
            assertThat(status).hasAttribute("data-state", "closed");
            assertThat(status).containsText("Disconnected by a moderator: disconnected by the moderator admin");
            assertThat(moderator.locator("#connected-list li.connected[data-principal='" + name + "']")).hasCount(0);
            // and it stays closed: no reconnection by itself (the page's reconnect backoff is at most 1.5 s here)
            await().pollInSameThread().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> "closed".equals(status.getAttribute("data-state")));
            assertThat(moderator.locator("#connected-list li.connected[data-principal='" + name + "']")).hasCount(0);
        } finally {
            Chromium.close(person);
            Chromium.close(moderator);
        }
    }

    /**
     * The person revoked is told at once (their composer and Edit buttons go off while they are
     * looking, not when they next try), gets them back after a restore without reloading, and the
     * moderator's card follows: a second revocation after a restore shows there live, with its
     * Restore button.
     */
    @ParameterizedTest
    @EnumSource(Screen.class)
    void theRevokedPersonIsToldAtOnceAndTheModeratorsCardFollowsTheirPermissionsLive(Screen screen, PushgateSystem system, Chromium chromium) {
        String size = screen.name().toLowerCase(Locale.ROOT);
        String name = "pat-" + size;
        String hash = "strikes-" + size;
        String room = "chat/" + hash;
        system.addRoom(room);
        system.addPrincipal(name, name + "-password");
        Page person = chromium.newPage(screen);
        Page moderator = chromium.newPage(screen);
        try {
            moderator.navigate(system.webUrl() + "/moderator.html");
            Pages.signIn(moderator, "admin", system.adminPassword);
            Pages.awaitConnected(moderator);
            person.navigate(system.webUrl() + "/#" + hash);
            Pages.signIn(person, name, name + "-password");
            Pages.openRoom(person, system.webUrl(), hash);

            Pages.send(person, "hello, I am " + name);
            assertThat(Pages.message(person, "hello, I am " + name).locator(".edit-button")).isEnabled();
            strikeOut(person, "darn");
            // told at once, without trying to post
            Locator notice = person.locator("#room-notice");
            assertThat(notice).containsText("The moderator took away your right to post in #" + hash);
            assertThat(notice).containsText("after 3 strikes within 10 minutes");
            assertThat(Pages.composer(person)).isDisabled();
            assertThat(person.locator("#send-button")).isDisabled();
            assertThat(Pages.message(person, "hello, I am " + name).locator(".edit-button")).isDisabled();
            assertThat(person.locator("#room-mode")).isVisible();

            Locator card = moderator.locator("#revoked-list li[data-principal='" + name + "']");
            assertThat(card.locator(".now")).containsText("cannot post " + room);
            card.getByText("Restore in " + room).click();
            assertThat(card.locator(".restored")).isVisible();
            assertThat(card.locator(".restore-button")).hasCount(0);

            assertThat(notice).hasText("You may post in #" + hash + " again.");
            assertThat(Pages.composer(person)).isEnabled();
            assertThat(Pages.message(person, "hello, I am " + name).locator(".edit-button")).isEnabled();
            Pages.send(person, "back again");
            assertThat(Pages.message(person, "back again")).isVisible();

            // a new revocation after the restore: the card (never reloaded) follows
            strikeOut(person, "heck");
            assertThat(card.locator(".now")).containsText("cannot post " + room);
            assertThat(card.getByText("Restore in " + room)).isVisible();
            assertThat(card.locator(".restored")).hasCount(0);
            assertThat(Pages.composer(person)).isDisabled();
            await().atMost(Duration.ofSeconds(15)).until(() -> actions(system, name),
                    a -> a.stream().filter(x -> x.equals("revoke")).count() == 2 && a.contains("restore"));
        } finally {
            Chromium.close(person);
            Chromium.close(moderator);
        }
    }

    /**
     * The flagged list shows only the newest {@code web.moderation.flagged} (6 here), saying how
     * many there are; the log's rows fit the screen: on a 390-pixel phone they stack, with the
     * Message and Words of each row in view rather than behind a sideways scroll.
     */
    @ParameterizedTest
    @EnumSource(Screen.class)
    void theFlaggedListIsBoundedAndTheLogShowsEveryColumnWithoutASidewaysScroll(Screen screen, PushgateSystem system, Chromium chromium) {
        String size = screen.name().toLowerCase(Locale.ROOT);
        String name = "quinn-" + size;
        system.addPrincipal(name, name + "-password");
        String token = system.token(name, name + "-password");
        int flaggedNow = PushgateSystem.FLAGGED_SHOWN + 2;
        for (int i = 0; i < flaggedNow; i++) {
            String room = "chat/bound-" + size + "-" + (i / 2);   // two per room: strikes, never a revocation
            if (i % 2 == 0) {
                system.addRoom(room);
            }
            PushgateSystem.post(system.gateway, room, token, "message " + i + " of a long darn series, with words", name);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> actions(system, name).size() == 2 * flaggedNow);

        Page page = chromium.newPage(screen);
        try {
            page.navigate(system.webUrl() + "/moderator.html");
            Pages.signIn(page, "admin", system.adminPassword);
            Pages.awaitConnected(page);
            assertThat(logRows(page, name)).hasCount(2 * flaggedNow);
            assertThat(page.locator("#flagged-list li.flagged")).hasCount(PushgateSystem.FLAGGED_SHOWN);
            assertThat(page.locator("#flagged-more")).containsText("The " + PushgateSystem.FLAGGED_SHOWN + " newest of");
            assertThat(page.locator("#flagged-list li.flagged").first()).containsText("message " + (flaggedNow - 1) + " of");

            int width = page.viewportSize().width;
            Locator row = logRows(page, name).first();
            for (String column : List.of("Time", "Action", "Room", "Who", "Message", "Words")) {
                Locator cell = row.locator("td[data-label='" + column + "']");
                assertThat(cell).isVisible();
                BoundingBox box = cell.boundingBox();
                assertThat(box.x).as("%s starts on the screen", column).isGreaterThanOrEqualTo(0);
                assertThat(box.x + box.width).as("%s ends on the screen (%d px)", column, width).isLessThanOrEqualTo(width);
            }
            assertThat(row.locator("td[data-label='Words']")).containsText("darn (strike");
            assertThat(row.locator("td[data-label='Message']")).containsText("#");
            Object overflow = page.evaluate("() => { const s = document.querySelector('.log-panel .table-scroll'); return s.scrollWidth - s.clientWidth; }");
            assertThat(((Number) overflow).intValue()).as("nothing to scroll sideways to").isLessThanOrEqualTo(0);
        } finally {
            Chromium.close(page);
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

    /** Three flagged messages from the composer, each seen bleeped before the next: the third revokes. */
    private static void strikeOut(Page person, String word) {
        for (int i = 1; i <= 3; i++) {
            String text = word + " number " + i + " " + System.nanoTime();
            Pages.send(person, text);
            assertThat(Pages.message(person, text.replace(word, "*".repeat(word.length())))).isVisible();
        }
    }

    private static Locator logRows(Page page, String principal) {
        return page.locator("#log-rows tr").filter(new Locator.FilterOptions().setHas(
                page.locator("td[data-label='Who']", new Page.LocatorOptions().setHasText(java.util.regex.Pattern.compile("^" + principal + "$")))));
    }

    private static List<String> actions(PushgateSystem system, String principal) {
        return system.moderationLog().stream().filter(e -> principal.equals(e.path("principal").asText()))
                .map(e -> e.path("action").asText()).toList();
    }
}
