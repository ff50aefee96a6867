package io.pushgate.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.pushgate.web.browser.Chromium.Screen;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The chat page in Chromium against the real services: signed-in users talk, anonymous ones read,
 * and backend-app moderates (edits included; a pre-moderated room).
 */
@ExtendWith(BrowserExtension.class)
@Order(1)
class ChatIT {

    @Test
    void aMessagePostedByOneSignedInUserReachesAnotherWithinASecondAndSoDoesItsEdit(PushgateSystem system, Chromium chromium) {
        String bobToken = system.token("bob", "bob-password");
        PushgateSystem.post(system.gateway, "chat/lobby", bobToken, "Morning! Anyone seen the BTC chart today?", "bob");
        Page dana = chromium.newPage(Screen.DESKTOP);
        Page bob = chromium.newPage(Screen.DESKTOP);
        try {
            dana.navigate(system.webUrl() + "/#lobby");
            Pages.signUp(dana, "dana", "dana-password-1");       // self sign-up through the auth-service
            Pages.openRoom(dana, system.webUrl(), "lobby");
            bob.navigate(system.webUrl() + "/#lobby");
            Pages.signIn(bob, "bob", "bob-password");
            Pages.openRoom(bob, system.webUrl(), "lobby");
            assertThat(Pages.message(bob, "Anyone seen the BTC chart")).isVisible();   // the room's history on entry

            Pages.send(dana, "Hello from Dana");
            assertThat(Pages.message(bob, "Hello from Dana")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(1000));
            assertThat(Pages.message(bob, "Hello from Dana").locator(".author")).hasText("dana");
            assertThat(dana.getByLabel("Message", new Page.GetByLabelOptions().setExact(true))).hasValue("");

            // Dana edits her message; Bob sees the new text, marked as edited. Bob cannot edit it.
            Pages.message(dana, "Hello from Dana").getByRole(com.microsoft.playwright.options.AriaRole.BUTTON).click();
            dana.getByLabel("Edit the message").fill("Hello from Dana, edited");
            dana.getByLabel("Edit the message").press("Enter");
            assertThat(Pages.message(bob, "Hello from Dana, edited").locator(".edited")).hasText("(edited)");
            assertThat(bob.locator("#messages li.message")).hasCount(2);
            assertThat(Pages.message(bob, "Hello from Dana, edited").locator(".edit-button")).hasCount(0);
            assertThat(Pages.message(bob, "Anyone seen the BTC chart").locator(".edit-button")).hasCount(1);

            Pages.send(bob, "Hi Dana, welcome! Ça va ?");
            assertThat(Pages.message(dana, "Hi Dana, welcome")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(1000));
            chromium.screenshot(bob, "chat-desktop");
        } finally {
            Chromium.close(dana);
            Chromium.close(bob);
        }
    }

    /**
     * The moderator judges an edit exactly like a new message: a clean message edited into a
     * flagged one, and a bleeped message edited back to what it was, are bleeped for everyone,
     * struck and logged, the edit's seq named in the log.
     */
    @ParameterizedTest
    @EnumSource(Screen.class)
    void anEditIsJudgedLikeANewMessageAndABleepedMessageCannotBeEditedBack(Screen screen, PushgateSystem system, Chromium chromium) {
        String name = "erin-" + screen.name().toLowerCase(java.util.Locale.ROOT);
        String room = "chat/edits-" + screen.name().toLowerCase(java.util.Locale.ROOT);
        system.addRoom(room);
        system.addPrincipal(name, name + "-password");
        Page author = chromium.newPage(screen);
        Page reader = chromium.newPage(screen);
        try {
            String hash = room.substring("chat/".length());
            author.navigate(system.webUrl() + "/#" + hash);
            assertThat(author.locator("#room-title")).hasText("# " + hash);   // the room list is there
            // however many rooms the list has (the suite makes a dozen), the page is no wider than the screen
            Object wider = author.evaluate("() => document.documentElement.scrollWidth - window.innerWidth");
            assertThat(((Number) wider).intValue()).as("the page is wider than the screen by").isLessThanOrEqualTo(0);
            Pages.signIn(author, name, name + "-password");
            Pages.openRoom(author, system.webUrl(), hash);
            Pages.openRoom(reader, system.webUrl(), hash);

            // a clean message, edited into a flagged one
            Pages.send(author, "What a lovely day");
            assertThat(Pages.message(reader, "What a lovely day")).isVisible();
            Pages.editMessage(author, "What a lovely day", "What a darn lovely day");
            assertThat(Pages.message(reader, "What a **** lovely day").locator(".edited")).hasText("(edited by backend-app)");
            assertThat(Pages.message(author, "What a **** lovely day")).isVisible();
            await().atMost(Duration.ofSeconds(15)).until(() -> actions(system, name), a -> a.equals(List.of("bleep", "strike")));
            JsonNode strike = entries(system, name).get(1);
            long seq = strike.path("seq").asLong();
            assertThat(strike.path("edit").asLong()).as("the edit judged").isGreaterThan(seq);
            assertThat(strike.path("strikes").asInt()).isEqualTo(1);

            // the bleeped message, edited back to the flagged text
            Pages.editMessage(author, "What a **** lovely day", "What a darn lovely day");
            await().atMost(Duration.ofSeconds(15)).until(() -> actions(system, name), a -> a.size() == 4);
            assertThat(Pages.message(reader, "What a **** lovely day")).isVisible();
            assertThat(reader.locator("#messages li.message")).hasCount(1);
            assertThat(entries(system, name).get(3).path("strikes").asInt()).isEqualTo(2);
            assertThat(system.texts(room)).containsExactly("What a **** lovely day");
            // every version as stored: the two flagged edits, each followed by the moderator's bleep
            List<String> versions = new java.util.ArrayList<>();
            system.eventsAsStored(room).forEach(e -> versions.add(e.path("author").asText() + ": " + e.path("value").path("text").asText()));
            assertThat(versions).containsExactly(name + ": What a lovely day", name + ": What a darn lovely day", "backend-app: What a **** lovely day",
                    name + ": What a darn lovely day", "backend-app: What a **** lovely day");
        } finally {
            Chromium.close(author);
            Chromium.close(reader);
        }
    }

    /**
     * A pre-moderated room: the sender sees their message as held for moderation, then as the
     * moderator published it (bleeped); nobody else ever sees the flagged word, where in an
     * ordinary room a reader sees it for a moment before the bleep.
     */
    @ParameterizedTest
    @EnumSource(Screen.class)
    void inAPreModeratedRoomTheSenderSeesItPendingAndNoReaderEverSeesAFlaggedWord(Screen screen, PushgateSystem system, Chromium chromium) {
        String name = "fay-" + screen.name().toLowerCase(java.util.Locale.ROOT);
        system.addPrincipal(name, name + "-password");
        Page sender = chromium.newPage(screen);
        Page reader = chromium.newPage(screen);
        try {
            sender.navigate(system.webUrl() + "/#held");
            Pages.signIn(sender, name, name + "-password");
            Pages.openRoom(sender, system.webUrl(), "held");
            assertThat(sender.locator("#room-premoderated")).isVisible();
            Pages.openRoom(reader, system.webUrl(), "held");
            Pages.recordShownTexts(reader);
            Pages.recordShownTexts(sender);

            String flagged = "Hello from " + name + ", darn it";
            String published = "Hello from " + name + ", **** it";
            Pages.send(sender, flagged);
            // the sender sees it at once, held (for as long as the moderator takes: a moment); then as published
            assertThat(Pages.message(sender, published).locator(".author")).hasText(name + " (you)");
            assertThat(Pages.textsEverShown(sender)).containsSubsequence("pending: " + flagged, published);
            assertThat(Pages.message(sender, published).locator(".bleeped")).hasText("(bleeped)");
            assertThat(sender.locator("#messages li.pending")).hasCount(0);
            assertThat(Pages.message(reader, published).locator(".author")).hasText(name);

            // an edit goes the same way: held, then published, judged like the message
            Pages.editMessage(sender, published, "Hello from " + name + ", heck");
            assertThat(Pages.message(reader, "Hello from " + name + ", ****")).isVisible();
            assertThat(Pages.message(sender, "Hello from " + name + ", ****").locator(".edited")).hasText("(edited)");
            assertThat(Pages.textsEverShown(sender)).contains(published + " [edit held]");
            assertThat(Pages.textsEverShown(reader)).isNotEmpty().noneMatch(t -> t.contains("darn") || t.contains("heck"));
            system.eventsAsStored(PushgateSystem.HELD_ROOM).forEach(e ->
                    assertThat(e.path("value").path("text").asText()).doesNotContain("darn").doesNotContain("heck"));

            // the same in an ordinary room: the reader does see the word before the bleep (what post-moderation cannot avoid)
            Pages.openRoom(sender, system.webUrl(), "random");
            Pages.openRoom(reader, system.webUrl(), "random");
            Pages.recordShownTexts(reader);
            Pages.send(sender, name + " says heck");
            assertThat(Pages.message(reader, name + " says ****")).isVisible();
            assertThat(Pages.textsEverShown(reader)).contains(name + " says heck");
        } finally {
            Chromium.close(sender);
            Chromium.close(reader);
        }
    }

    private static List<JsonNode> entries(PushgateSystem system, String principal) {
        return system.moderationLog().stream().filter(e -> principal.equals(e.path("principal").asText())).toList();
    }

    private static List<String> actions(PushgateSystem system, String principal) {
        return entries(system, principal).stream().map(e -> e.path("action").asText()).toList();
    }

    @Test
    void anAnonymousReaderSeesThatItIsReadOnlyCannotPostAndIsToldWhy(PushgateSystem system, Chromium chromium) {
        String aliceToken = system.token("alice", "alice-password");
        PushgateSystem.post(system.gateway, "chat/random", aliceToken, "Anonymous readers welcome, but only to read.", "alice");
        Page reader = chromium.newPage(Screen.PHONE);
        try {
            Pages.openRoom(reader, system.webUrl(), "random");
            assertThat(reader.locator("#identity-badge")).hasText("Anonymous · read-only");
            assertThat(reader.locator("#room-mode")).isVisible();
            assertThat(reader.locator("#anonymous-hint")).isVisible();
            assertThat(Pages.message(reader, "only to read")).isVisible();

            Pages.send(reader, "may I post?");
            assertThat(reader.locator("#room-notice")).hasText("You can read this room but not post; sign in.");
            assertThat(reader.getByLabel("Message", new Page.GetByLabelOptions().setExact(true))).isDisabled();
            assertThat(system.texts("chat/random")).doesNotContain("may I post?");
            chromium.screenshot(reader, "chat-phone");
        } finally {
            Chromium.close(reader);
        }
    }
}
