package dev.quarkchat.testing;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}; nothing is
 * downloaded), each instance with a profile of its own, as a separate person's browser.
 */
public final class Browser implements AutoCloseable {

    private static final Path CHROMIUM =
            Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER =
            Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
    private static final String INSTALL_HINT =
            "Chromium is not installed; on Debian: sudo apt-get install chromium "
                    + "chromium-driver (or pass -Dchromium.binary=... -Dchromedriver.binary=...). The e2e profile needs it; "
                    + ".ci/run installs it.";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** A browser the size of a laptop screen, or of a phone with {@code phone}. */
    public static Browser open(boolean phone) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError(INSTALL_HINT);
        }
        try {
            Path profile = Files.createTempDirectory("chromium-profile-");
            ChromeOptions options =
                    new ChromeOptions()
                            .setBinary(CHROMIUM.toFile())
                            .addArguments(
                                    "--headless",
                                    "--no-sandbox",
                                    "--disable-gpu",
                                    "--disable-dev-shm-usage",
                                    "--disable-background-networking",
                                    "--disable-component-update",
                                    "--disable-sync",
                                    "--disable-quic",
                                    "--no-first-run",
                                    "--user-data-dir=" + profile);
            ChromeDriverService service =
                    new ChromeDriverService.Builder()
                            .usingDriverExecutable(CHROMEDRIVER.toFile())
                            .usingAnyFreePort()
                            .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage()
                    .window()
                    .setSize(phone ? new Dimension(390, 844) : new Dimension(1280, 800));
            return new Browser(driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Browser go(URI page) {
        driver.get(page.toString());
        return this;
    }

    public WebElement find(String cssSelector) {
        return driver.findElement(By.cssSelector(cssSelector));
    }

    /**
     * Clicks the element, finding it again if the page drew it anew in between (a frame that
     * arrived re-renders the list it is in).
     */
    public void click(String cssSelector) {
        await(
                page -> {
                    find(cssSelector).click();
                    return true;
                });
    }

    public void type(String cssSelector, String text) {
        WebElement field = find(cssSelector);
        field.clear();
        field.sendKeys(text);
    }

    /**
     * Waits until the condition holds and returns its value; an element the page drew anew while
     * the condition looked at it is looked for again.
     */
    public <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT)
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    /** Waits until the element's text contains the given text. */
    public void awaitText(String cssSelector, String text) {
        await(page -> find(cssSelector).getText().contains(text));
    }

    public Object script(String javascript) {
        return ((JavascriptExecutor) driver).executeScript(javascript);
    }

    public Path screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A temporary profile left behind harms nothing.
        }
    }
}
