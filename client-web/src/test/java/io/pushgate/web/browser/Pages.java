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

    /** The list item of the message with this exact text. */
    static Locator message(Page page, String text) {
        return page.locator("#messages li.message").filter(new Locator.FilterOptions()
                .setHas(page.locator("p.text", new Page.LocatorOptions().setHasText(text))));
    }
}
