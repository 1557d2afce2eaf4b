package dev.quarkchat.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.Browser;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The page as a screen reader or a keyboard meets it, checked by axe-core (from Maven Central,
 * injected into the page, no CDN) against the WCAG 2 A and AA rules, with every feature on screen:
 * rooms, a direct conversation, unread and mention badges, a reaction, and the forms; and a
 * reaction added with the keyboard alone.
 */
@QuarkusTest
@Tag("e2e")
class AccessibilityTest {

    private static final String AXE = "/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js";

    @TestHTTPResource("/")
    URI page;

    @Test
    void aFullChatHasNoAccessibilityViolations() throws IOException {
        try (Browser una = Browser.open(false).go(page);
                ChatClient vik =
                        ChatClient.connect(page, TestTokens.valid("a11y-vik")).join("a11y")) {
            una.type("#user-name", "a11y-una");
            una.find("#user-name").sendKeys(Keys.ENTER);
            una.awaitText("#status", "connected as a11y-una");
            una.type("#room-name", "a11y");
            una.find("#room-name").sendKeys(Keys.ENTER);
            una.awaitText("#room-title", "a11y");
            vik.send("a11y", "hello @a11y-una", "a11y-1");
            una.awaitText("#messages", "hello @a11y-una");
            // By keyboard alone: the React button offers emoji, the first one takes the focus.
            una.find("#messages li.message .control.react").sendKeys(Keys.ENTER);
            una.await(
                    driver ->
                            una.script(
                                    "return document.activeElement.classList.contains('emoji')"));
            una.find("#messages li.message .control.emoji").sendKeys(Keys.ENTER);
            una.awaitText("#messages .reaction", "1");
            assertThat(una.find("#messages").getAttribute("aria-live"))
                    .as("new messages are read out")
                    .isEqualTo("polite");
            una.type("#dm-user", "a11y-vik");
            una.find("#dm-user").sendKeys(Keys.ENTER);
            una.awaitText("#room-title", "@a11y-vik");
            vik.send("a11y", "and @a11y-una again", "a11y-2");
            una.awaitText("#rooms .mentions", "@1");

            List<?> violations = violations(una);

            assertThat(violations).as("axe-core's WCAG 2 A and AA violations").isEmpty();
        }
    }

    /** Runs axe-core in the page and answers its violations, each with the elements at fault. */
    private static List<?> violations(Browser browser) throws IOException {
        browser.script(
                axeSource()
                        + "; window.axeResult = null;"
                        + " axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
                        + ".then(result => window.axeResult = result.violations.map(v => ({id: v.id,"
                        + " impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))})));");
        browser.await(driver -> browser.script("return window.axeResult !== null"));
        Object result = browser.script("return window.axeResult");
        assertThat(result).isInstanceOf(List.class);
        return ((List<?>) result).stream().map(v -> (Map<?, ?>) v).toList();
    }

    private static String axeSource() throws IOException {
        try (InputStream in = AccessibilityTest.class.getResourceAsStream(AXE)) {
            assertThat(in).as("axe-core on the test class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
