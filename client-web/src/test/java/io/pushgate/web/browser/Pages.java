package io.pushgate.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

/** What a person does on the pages, by the labels and roles they see. */
final class Pages {

    private Pages() {
    }

    /** Signs in with the header's dialog; the page reloads as that user. */
    static void signIn(Page page, String name, String password) {
        submitSignIn(page, name, password, "Sign in");
    }

    /** Creates an account with the header's dialog (self sign-up), which also signs in. */
    static void signUp(Page page, String name, String password) {
        submitSignIn(page, name, password, "Create account");
    }

    private static void submitSignIn(Page page, String name, String password, String button) {
        page.locator("#sign-in-button").click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        dialog.getByLabel("Name").fill(name);
        dialog.getByLabel("Password").fill(password);
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(button).setExact(true)).click();
        // the page reloads as the new user
        assertThat(page.locator("#identity-badge")).containsText(name);
    }

    /** Signs out with the header's button; the page reloads anonymous. */
    static void signOut(Page page) {
        page.locator("#sign-out-button").click();
        assertThat(page.locator("#identity-badge")).hasText("Anonymous · read-only");
    }

    /** The token of the origin's session (localStorage), or null. */
    static String sessionToken(Page page) {
        return (String) page.evaluate("() => JSON.parse(localStorage.getItem('pushgate.session'))?.token ?? null");
    }

    /** Opens a chat room and waits until the page is connected and shows it. */
    static void openRoom(Page page, String webUrl, String room) {
        page.navigate(webUrl + "/#" + room);
        assertThat(page.locator("#room-title")).hasText("# " + room);
        awaitConnected(page);
    }

    static void awaitConnected(Page page) {
        assertThat(page.locator("#connection-status")).hasAttribute("data-state", "open");
    }

    /** Types a message and sends it with Enter, as a keyboard user would. */
    static void send(Page page, String text) {
        Locator input = page.getByLabel("Message", new Page.GetByLabelOptions().setExact(true));
        input.fill(text);
        input.press("Enter");
    }

    /** The composer's text field. */
    static Locator composer(Page page) {
        return page.getByLabel("Message", new Page.GetByLabelOptions().setExact(true));
    }

    /** Edits one's own message (found by its text) with its Edit button, and saves with Enter. */
    static void editMessage(Page page, String text, String newText) {
        message(page, text).locator(".edit-button").click();
        Locator field = page.getByLabel("Edit the message");
        field.fill(newText);
        field.press("Enter");
    }

    /**
     * Starts recording every message item the page ever shows in its list (each one added, even
     * one replaced a moment later), so that a test can tell what a reader saw, not only what stays:
     * its text, prefixed with {@code "pending: "} for a message held for moderation and followed by
     * {@code " [edit held]"} while an edit of it is. Read it with {@link #textsEverShown}.
     */
    static void recordShownTexts(Page page) {
        page.evaluate("""
                () => {
                  window.__shownTexts = [];
                  const describe = (li) => {
                    const text = li.querySelector('p.text')?.textContent ?? '';
                    const held = li.querySelector('.meta .held')?.textContent ?? '';
                    return (li.classList.contains('pending') ? 'pending: ' : '') + text
                      + (!li.classList.contains('pending') && held ? ' [edit held]' : '');
                  };
                  const list = document.getElementById('messages');
                  list.querySelectorAll('li.message').forEach((li) => window.__shownTexts.push(describe(li)));
                  new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((node) => {
                    if (node.nodeType === 1 && node.matches('li.message')) window.__shownTexts.push(describe(node));
                  }))).observe(list, { childList: true });
                }""");
    }

    @SuppressWarnings("unchecked")
    static java.util.List<String> textsEverShown(Page page) {
        return (java.util.List<String>) page.evaluate("() => window.__shownTexts.slice()");
    }

    /** The list item of the message with this exact text. */
    static Locator message(Page page, String text) {
        return page.locator("#messages li.message").filter(new Locator.FilterOptions()
                .setHas(page.locator("p.text", new Page.LocatorOptions().setHasText(text))));
    }
}
