package io.pushgate.web.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's headless Chromium ({@code /usr/bin/chromium}, or the system property {@code chromium.path})
 * driven by Playwright, which must not download a browser of its own (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD).
 */
public final class Chromium implements AutoCloseable {

    /** The flags that work as root in these machines (shared/ENVIRONMENT.md). */
    static final List<String> FLAGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");

    /** A screen: size in CSS pixels, and whether it is a phone. */
    public enum Screen {
        DESKTOP(1280, 800, 1, false),
        PHONE(390, 844, 2, true);

        final int width;
        final int height;
        final double scale;
        final boolean mobile;

        Screen(int width, int height, double scale, boolean mobile) {
            this.width = width;
            this.height = height;
            this.scale = scale;
            this.mobile = mobile;
        }
    }

    private final Playwright playwright;
    private final Browser browser;
    private final Path screenshots;

    private Chromium(Playwright playwright, Browser browser, Path screenshots) {
        this.playwright = playwright;
        this.browser = browser;
        this.screenshots = screenshots;
    }

    static Chromium launch() {
        Path executable = Path.of(System.getProperty("chromium.path", "/usr/bin/chromium"));
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("no Chromium at " + executable + ": apt-get install -y chromium (or set -Dchromium.path)");
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(executable).setHeadless(true).setArgs(FLAGS));
            String dir = System.getProperty("screenshots.dir", "target/screenshots");
            return new Chromium(playwright, browser, Path.of(dir.isBlank() ? "target/screenshots" : dir));
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A new page in a context of its own (its own storage, so its own session: another user). */
    public Page newPage(Screen screen) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(screen.width, screen.height)
                .setDeviceScaleFactor(screen.scale)
                .setIsMobile(screen.mobile)
                .setHasTouch(screen.mobile)
                .setLocale("en-GB")
                .setTimezoneId("UTC"));
        context.setDefaultTimeout(10_000);
        Page page = context.newPage();
        page.onConsoleMessage(m -> {
            if ("error".equals(m.type())) {
                System.out.println("[browser console] " + m.text());
            }
        });
        page.onPageError(e -> System.out.println("[browser error] " + e));
        return page;
    }

    /**
     * Saves a screenshot as {@code <name>.png} in the screenshots folder: the viewport on a
     * desktop, the whole page on a phone (where the panels stack).
     */
    public void screenshot(Page page, String name) {
        try {
            Files.createDirectories(screenshots);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        boolean phone = page.viewportSize().width < 720;
        page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve(name + ".png")).setFullPage(phone)
                .setAnimations(com.microsoft.playwright.options.ScreenshotAnimations.DISABLED));
    }

    /** Closes a page and its context. */
    public static void close(Page page) {
        if (page != null) {
            page.context().close();
        }
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
