package io.pushgate.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.pushgate.web.browser.Chromium.Screen;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The chat page in Chromium against the real services: signed-in users talk, anonymous ones read. */
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
