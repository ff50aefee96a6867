package io.pushgate.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.pushgate.web.browser.Chromium.Screen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who is in a chat room, live, in Chromium against the real services (the room made with
 * PRESENCE=true, as the demo's are): two signed-in users see each other arrive, an anonymous
 * reader is counted and not named, and when one user leaves the other sees it.
 */
@ExtendWith(BrowserExtension.class)
class ChatPresenceIT {

    @Test
    void twoUsersInARoomSeeEachOtherAndTheOneWhoStaysSeesTheOtherLeave(PushgateSystem system, Chromium chromium) {
        String room = "chat/presence";
        system.addRoom(room);
        system.addRoom("chat/presence-other");
        Page alice = chromium.newPage(Screen.DESKTOP);
        Page bob = chromium.newPage(Screen.PHONE);
        Page reader = null;
        try {
            alice.navigate(system.webUrl() + "/#presence");
            Pages.signIn(alice, "alice", "alice-password");
            Pages.openRoom(alice, system.webUrl(), "presence");
            assertThat(person(alice, "alice")).hasText("alice (you)");
            assertThat(alice.locator("#presence-count")).hasText("1 here");

            bob.navigate(system.webUrl() + "/#presence");
            Pages.signIn(bob, "bob", "bob-password");
            Pages.openRoom(bob, system.webUrl(), "presence");
            assertThat(person(alice, "bob")).hasText("bob");
            assertThat(alice.locator("#presence-count")).hasText("2 here");
            assertThat(person(bob, "alice")).hasText("alice");
            assertThat(person(bob, "bob")).hasText("bob (you)");
            assertThat(bob.locator("#presence-list li")).hasCount(2);

            // A reader without an account is counted, not named.
            reader = chromium.newPage(Screen.DESKTOP);
            Pages.openRoom(reader, system.webUrl(), "presence");
            assertThat(alice.locator("#presence-count")).hasText("3 here");
            assertThat(alice.locator("#presence-list li.anonymous")).hasText("1 anonymous");
            assertThat(reader.locator("#presence-list li")).hasCount(3);
            chromium.screenshot(alice, "chat-presence-desktop");
            Chromium.close(reader);
            reader = null;
            assertThat(alice.locator("#presence-count")).hasText("2 here");
            assertThat(alice.locator("#presence-list li.anonymous")).hasCount(0);

            // Bob leaves: his page closes, and Alice sees him go.
            Chromium.close(bob);
            bob = null;
            assertThat(person(alice, "bob")).hasCount(0);
            assertThat(alice.locator("#presence-count")).hasText("1 here");
            assertThat(alice.locator("#presence-list li")).hasCount(1);
            assertThat(person(alice, "alice")).isVisible();

            // Another room of hers has its own presence: entering it, she is the one there.
            Pages.openRoom(alice, system.webUrl(), "presence-other");
            assertThat(alice.locator("#presence-count")).hasText("1 here");
            assertThat(person(alice, "alice")).hasText("alice (you)");
        } finally {
            Chromium.close(alice);
            if (bob != null) {
                Chromium.close(bob);
            }
            if (reader != null) {
                Chromium.close(reader);
            }
        }
    }

    private static Locator person(Page page, String principal) {
        return page.locator("#presence-list li[data-principal='" + principal + "']");
    }
}
