package dev.quarkchat.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.moderation.Moderation;
import dev.quarkchat.moderation.Outcome;
import dev.quarkchat.session.ChatSessions;
import dev.quarkchat.testing.Browser;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The chat page in a real headless Chromium when a moderator acts (through the {@link Moderation}
 * bean, as the server API does): banned from the chat it signs out for good and says why;
 * disconnected it waits for the person's "Reconnect"; kicked or banned from a room it drops the
 * room with a notice, and a refused join says the room is banned. Runs with {@code ./mvnw verify
 * -Pe2e}, beside ChatPageTest (the same application, so every ban placed here is lifted).
 */
@Tag("e2e")
@QuarkusTest
class ModerationPageTest {

    private static final String MODERATOR = "ops";

    /**
     * Counts the sockets the page opens and records every state its status announces, before it
     * signs in: what a reconnect would leave behind.
     */
    private static final String WATCH_THE_CONNECTION =
            "const Native = window.WebSocket; window.socketsOpened = 0;"
                    + "window.WebSocket = class extends Native {"
                    + "  constructor(...args) { super(...args); window.socketsOpened++; } };"
                    + "window.statesShown = [];"
                    + "const status = document.getElementById('status');"
                    + "new MutationObserver(() => window.statesShown.push(status.dataset.state))"
                    + "  .observe(status, {attributes: true, childList: true, characterData: true,"
                    + "  subtree: true});";

    /**
     * Longer than the page's first retry can be after a close (half of its first backoff step plus
     * at most the whole step, 750 ms): browser timers run in order of when they are due, so a timer
     * of this length set once the close was handled fires after any retry it scheduled.
     */
    private static final int LONGER_THAN_THE_FIRST_RETRY_MS = 1500;

    @TestHTTPResource("/")
    URI page;

    @Inject ChatSessions sessions;

    @Inject Moderation moderation;

    @Test
    void aBanFromTheChatSignsThePageOutForGoodAndSaysWhy() {
        try (Browser nadia = watchedAndSignedIn("nadia")) {
            done(moderation.ban(MODERATOR, "nadia", Optional.empty(), Optional.empty(), "spam"));

            nadia.await(
                    browser -> "banned".equals(nadia.find("#status").getAttribute("data-state")));
            assertThat(nadia.find("#status").getText())
                    .isEqualTo("A moderator banned this account from the chat.");
            assertThat(nadia.find("#sign-in-error").getText())
                    .isEqualTo("A moderator banned this account from the chat.");
            assertThat(nadia.find("#sign-in-error").getAttribute("role")).isEqualTo("alert");
            assertThat(nadia.find("#sign-in").isDisplayed()).isTrue();
            assertThat(nadia.find("#chat").isDisplayed()).isFalse();
            assertThat(nadia.find("#reconnect").isDisplayed()).isFalse();

            awaitLongerThanTheFirstRetry(nadia);
            assertThat(nadia.script("return window.socketsOpened")).isEqualTo(1L);
            assertThat(statesSinceConnected(nadia)).containsExactly("banned");
            assertThat(nadia.find("#status").getAttribute("data-state")).isEqualTo("banned");
            assertThat(sessions.all()).noneMatch(session -> "nadia".equals(session.user()));
        } finally {
            done(moderation.lift(MODERATOR, "nadia", Optional.empty()));
        }
    }

    @Test
    void aDisconnectWaitsForTheKeyboardsReconnectWhichRejoinsAndRecovers() {
        try (Browser otto = watchedAndSignedIn("otto");
                ChatClient friend =
                        ChatClient.connect(page, TestTokens.valid("ottos-friend"))
                                .join("after-disconnect")) {
            join(otto, "after-disconnect");
            otto.awaitText("#room-title", "after-disconnect");

            done(moderation.disconnect(MODERATOR, "otto", Optional.of("cool off")));

            otto.await(
                    browser ->
                            "disconnected".equals(otto.find("#status").getAttribute("data-state")));
            assertThat(otto.find("#status").getText()).isEqualTo("A moderator disconnected you.");
            assertThat(otto.find("#reconnect").isDisplayed()).isTrue();
            assertThat(otto.script("return document.activeElement.id")).isEqualTo("reconnect");
            assertThat(otto.find("#chat").isDisplayed()).isTrue();
            awaitLongerThanTheFirstRetry(otto);
            assertThat(otto.script("return window.socketsOpened")).isEqualTo(1L);
            assertThat(statesSinceConnected(otto)).containsExactly("disconnected");
            assertThat(sessions.all()).noneMatch(session -> "otto".equals(session.user()));

            friend.send("after-disconnect", "while you were out", "out-1");
            friend.awaitMessage("out-1");
            otto.find("#reconnect").sendKeys(Keys.ENTER);

            otto.awaitText("#status", "connected as otto");
            otto.await(
                    browser ->
                            sessions.all().stream()
                                    .anyMatch(
                                            session ->
                                                    "otto".equals(session.user())
                                                            && session.rooms()
                                                                    .contains("after-disconnect")));
            otto.awaitText("#messages", "while you were out");
            assertThat(otto.find("#reconnect").isDisplayed()).isFalse();
            assertThat(otto.script("return document.activeElement.id")).isEqualTo("message-text");
            assertThat(otto.script("return window.socketsOpened")).isEqualTo(2L);
            say(otto, "back after the cool-off");
            friend.awaitFrame(frame -> "back after the cool-off".equals(frame.getString("text")));
        }
    }

    @Test
    void aKickOrARoomBanDropsTheRoomWithANoticeAndARefusedJoinSaysItIsBanned() {
        try (Browser pia = watchedAndSignedIn("pia")) {
            join(pia, "kick-room");
            pia.awaitText("#room-title", "kick-room");
            join(pia, "ban-room");
            pia.awaitText("#room-title", "ban-room");

            done(moderation.kick(MODERATOR, "kick-room", "pia", Optional.empty()));
            pia.awaitText("#join-error", "You were removed from #kick-room by a moderator.");
            assertThat(roomsListed(pia)).containsExactly("lobby", "ban-room");
            assertThat(pia.find("#join-error").getAttribute("role")).isEqualTo("alert");

            done(
                    moderation.ban(
                            MODERATOR, "pia", Optional.of("ban-room"), Optional.empty(), "spam"));
            pia.awaitText("#join-error", "You are banned from #ban-room.");
            assertThat(roomsListed(pia)).containsExactly("lobby");
            assertThat(pia.find("#room-title").getText()).isEqualTo("lobby");

            // A join that succeeds clears the notice: the next one can only be the refusal's.
            join(pia, "elsewhere");
            pia.awaitText("#room-title", "elsewhere");
            assertThat(pia.find("#join-error").getText()).isEmpty();
            join(pia, "ban-room");

            pia.awaitText("#join-error", "You are banned from #ban-room.");
            assertThat(pia.find("#join-error").getText())
                    .isEqualTo("You are banned from #ban-room.");
            pia.await(browser -> !"ban-room".equals(pia.find("#room-title").getText()));
            assertThat(roomsListed(pia)).containsExactly("lobby", "elsewhere");
            assertThat(pia.find("#status").getText()).isEqualTo("connected as pia");
            assertThat(pia.script("return window.socketsOpened")).isEqualTo(1L);
        } finally {
            done(moderation.lift(MODERATOR, "pia", Optional.empty()));
        }
    }

    @Test
    void aBanFromTheDefaultRoomIsToldAtSignIn() {
        done(moderation.ban(MODERATOR, "quinn", Optional.of("lobby"), Optional.empty(), "spam"));
        try (Browser quinn = Browser.open(false).go(page)) {
            quinn.type("#user-name", "quinn");
            quinn.find("#user-name").sendKeys(Keys.ENTER);
            quinn.awaitText("#status", "connected as quinn");

            quinn.awaitText("#join-error", "A moderator banned you from room lobby.");
            assertThat(roomsListed(quinn)).isEmpty();
            join(quinn, "not-the-lobby");
            quinn.awaitText("#room-title", "not-the-lobby");
        } finally {
            done(moderation.lift(MODERATOR, "quinn", Optional.empty()));
        }
    }

    /** A browser signed in as the user, in the lobby, watched from before it connected. */
    private Browser watchedAndSignedIn(String user) {
        Browser browser = Browser.open(false).go(page);
        browser.script(WATCH_THE_CONNECTION);
        browser.type("#user-name", user);
        browser.find("#user-name").sendKeys(Keys.ENTER);
        browser.awaitText("#status", "connected as " + user);
        browser.awaitText("#room-title", "lobby");
        return browser;
    }

    /** Waits for a timer of the page's own, set now, that fires after any retry due by then. */
    private static void awaitLongerThanTheFirstRetry(Browser browser) {
        browser.script(
                "window.firstRetryPassed = false;"
                        + "setTimeout(() => { window.firstRetryPassed = true; }, "
                        + LONGER_THAN_THE_FIRST_RETRY_MS
                        + ");");
        browser.await(
                driver -> Boolean.TRUE.equals(browser.script("return window.firstRetryPassed")));
    }

    /** The states the status announced since it last said "connected". */
    private static List<String> statesSinceConnected(Browser browser) {
        return strings(
                browser.script(
                        "const states = window.statesShown;"
                                + "return states.slice(states.lastIndexOf('connected') + 1)"
                                + ".filter((state, i, all) => i === 0 || all[i - 1] !== state)"));
    }

    /** The rooms the page lists, top to bottom, without their unread counts. */
    private static List<String> roomsListed(Browser browser) {
        return strings(
                browser.script(
                        "return [...document.querySelectorAll('#rooms button')]"
                                + ".map(button => button.firstChild.textContent)"));
    }

    private static List<String> strings(Object scriptResult) {
        return ((List<?>) scriptResult).stream().map(String::valueOf).toList();
    }

    private static <T> T done(CompletionStage<Outcome<T>> stage) {
        Outcome<T> outcome;
        try {
            outcome =
                    stage.toCompletableFuture()
                            .get(ChatClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("No outcome within " + ChatClient.TIMEOUT, e);
        }
        if (outcome instanceof Outcome.Done<T> carriedOut) {
            return carriedOut.value();
        }
        throw new AssertionError("Not carried out: " + outcome);
    }

    private static void say(Browser browser, String text) {
        browser.type("#message-text", text);
        browser.find("#message-text").sendKeys(Keys.ENTER);
    }

    private static void join(Browser browser, String room) {
        browser.type("#room-name", room);
        browser.find("#room-name").sendKeys(Keys.ENTER);
    }
}
