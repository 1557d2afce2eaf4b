package dev.quarkchat.web;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.engine.HistoryConfig;
import dev.quarkchat.session.ChatSessions;
import dev.quarkchat.testing.Browser;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Frames;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.CloseReason;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonObject;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The chat page in a real headless Chromium: two people chat and see each other typing, markup
 * shows as text, a dropped connection comes back by itself, and bad input is stopped in the page or
 * shown from the server. Runs with {@code ./mvnw verify -Pe2e}; the screenshot lands in
 * target/screenshots/.
 */
@Tag("e2e")
@QuarkusTest
class ChatPageTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final int SHORT_TOKEN_SECONDS = 4;
    private static final String ZOE = "zo\u00EB";
    private static final String WATANABE = "\u6E21\u8FBA";

    /** A page's read positions in a room come a second apart per this many members (app.js). */
    private static final int READ_PACE_MEMBERS = 100;

    @TestHTTPResource("/")
    URI page;

    @Inject ChatSessions sessions;

    @Inject HistoryConfig history;

    private final Metrics metrics = Metrics.ofTestedService();

    @Test
    void twoPeopleChatAndSeeEachOthersPresence() {
        try (Browser alice = signedIn("alice", false);
                Browser bob = signedIn("bob", true)) {
            alice.awaitText("#members", "bob");

            say(bob, "hi alice, from my phone");
            alice.awaitText("#messages", "hi alice, from my phone");
            say(alice, "hi bob!");
            bob.awaitText("#messages", "hi bob!");

            assertThat(alice.find("#messages li.own .text").getText()).isEqualTo("hi bob!");
            assertThat(bob.find("#messages li.own .from").getText()).isEqualTo("bob (you)");
        }
    }

    /** One page with most of what a day in the chat shows: the README's screenshot. */
    @Test
    void aDayInTheChatShowsReactionsDirectMessagesBadgesAndTyping() {
        try (Browser ada = signedIn("ada", false);
                Browser ben = signedIn("ben", true);
                ChatClient cy = ChatClient.connect(page, TestTokens.valid("cy")).join("lobby")) {
            ada.awaitText("#members", "cy");
            joinAndGoBackToTheLobby(ada, "release");

            say(ben, "morning! coffee at 10?");
            ada.awaitText("#messages", "coffee at 10?");
            say(ada, "@ben yes, and cake");
            ben.awaitText("#messages li.mentions-me", "yes, and cake");
            ben.click("#messages li.message:last-child .control.react");
            ben.click("#messages li.message:last-child .control.emoji");
            ada.awaitText("#messages li.message .reaction", "1");

            cy.sendJson(new JsonObject().put("type", "dm").put("user", "ada").put("id", "dm-1"));
            String direct =
                    cy.awaitFrame(frame -> "dm-1".equals(frame.getString("id"))).getString("room");
            cy.send(direct, "can you look at my change?", "dm-2");
            cy.join("release");
            cy.send("release", "the build is green", "release-1");
            cy.send("release", "@ada ready when you are", "release-2");
            ada.awaitText("#directs .unread", "1");
            ada.awaitText("#rooms .mentions", "@1");
            assertThat(ada.find("#rooms .unread").getText()).isEqualTo("2");

            cy.sendJson(new JsonObject().put("type", "typing").put("room", "lobby"));
            ada.awaitText("#typing", "cy is typing\u2026");
            ada.screenshot(SCREENSHOTS.resolve("chat.png"));
        }
    }

    @Test
    void peopleEditAndDeleteTheirOwnMessagesAndEveryoneSeesIt() {
        try (Browser kim = signedIn("kim", false);
                Browser lee = signedIn("lee", false)) {
            say(kim, "meet at 9");
            lee.awaitText("#messages", "meet at 9");
            assertThat(
                            lee.find("#messages")
                                    .findElements(By.cssSelector(".control.edit, .control.delete")))
                    .isEmpty();

            // The page asks with the browser's own dialogs: answered here as a user would.
            kim.script("window.prompt = () => 'meet at 10'; window.confirm = () => true;");
            kim.find("#messages li.own .control.edit").click();
            lee.awaitText("#messages", "meet at 10 (edited)");
            kim.awaitText("#messages li.own", "(edited)");

            kim.find("#messages li.own .control.delete").click();
            lee.await(page -> !lee.find("#messages").getText().contains("meet at 10"));
            kim.await(
                    page -> kim.find("#messages").findElements(By.cssSelector("li.own")).isEmpty());
        }
    }

    @Test
    void someoneTypingIsShownUntilTheirMessageArrives() {
        try (Browser dee = signedIn("dee", false);
                Browser eli = signedIn("eli", true)) {
            dee.awaitText("#members", "eli");

            dee.type("#message-text", "let me think");
            eli.awaitText("#typing", "dee is typing\u2026");
            eli.screenshot(SCREENSHOTS.resolve("typing.png"));
            dee.find("#message-text").sendKeys(Keys.ENTER);

            eli.awaitText("#messages", "let me think");
            eli.await(page -> eli.find("#typing").getText().isEmpty());
            assertThat(dee.find("#typing").getText()).isEmpty();
        }
    }

    @Test
    void markupInMessagesShowsAsTextAndRunsNothing() {
        String image = "<img src=x onerror=\"window.hacked='img'\">";
        String script = "<script>window.hacked='script'</script>";
        try (Browser mallory = signedIn("mallory", false);
                Browser victim = signedIn("victim", false)) {
            say(mallory, image);
            say(mallory, script);
            victim.awaitText("#messages", script);

            assertThat(victim.find("#messages").getText()).contains(image).contains(script);
            assertThat(
                            victim.script(
                                    "return window.hacked === undefined && document.querySelectorAll('#messages img, #messages script').length === 0"))
                    .isEqualTo(true);
        }
    }

    @Test
    void aConnectionTheServerClosesComesBackByItselfAndRejoins() {
        try (Browser carol = signedIn("carol", false);
                ChatClient friend =
                        ChatClient.connect(page, TestTokens.valid("carols-friend"))
                                .join("comeback")) {
            join(carol, "comeback");
            carol.awaitText("#room-title", "comeback");

            sessions.all().stream()
                    .filter(session -> "carol".equals(session.user()))
                    .forEach(
                            session ->
                                    session.connection()
                                            .close(new CloseReason(1001, "test restart"))
                                            .await()
                                            .indefinitely());
            friend.send("comeback", "while you were away", "away-1");

            carol.await(browser -> carol.find("#status").getText().startsWith("reconnecting"));
            carol.awaitText("#status", "connected as carol");
            carol.await(
                    browser ->
                            sessions.all().stream()
                                    .anyMatch(
                                            session ->
                                                    "carol".equals(session.user())
                                                            && session.rooms()
                                                                    .contains("comeback")));
            say(carol, "back again");
            carol.awaitText("#messages", "back again");
            assertThat(carol.find("#messages").getText()).contains("while you were away");
            assertThat(
                            carol.script(
                                    "return [...document.querySelectorAll('#messages .text')]"
                                            + ".filter(e => e.textContent === 'while you were away').length"))
                    .isEqualTo(1L);
        }
    }

    @Test
    void aMessageInFlightWhenTheConnectionDropsIsSentAgainAndShownOnce() {
        try (Browser erin = signedIn("erin", false);
                ChatClient friend =
                        ChatClient.connect(page, TestTokens.valid("erins-friend"))
                                .join("in-flight")) {
            join(erin, "in-flight");
            erin.awaitText("#room-title", "in-flight");
            double deduplicated = metrics.value("chat_messages_deduplicated_total");
            // The socket goes down right behind the send: the server posts it, the page never sees
            // the echo.
            erin.script(
                    "const send = WebSocket.prototype.send;"
                            + "WebSocket.prototype.send = function (data) {"
                            + "  send.call(this, data);"
                            + "  if (data.includes('\"type\":\"send\"')) { WebSocket.prototype.send = send; this.close(); }"
                            + "};");

            say(erin, "did you get this?");

            erin.awaitText("#status", "connected as erin");
            erin.await(
                    browser ->
                            metrics.value("chat_messages_deduplicated_total") == deduplicated + 1);
            erin.awaitText("#messages", "did you get this?");
            assertThat(
                            erin.script(
                                    "return [...document.querySelectorAll('#messages .text')]"
                                            + ".filter(e => e.textContent === 'did you get this?').length"))
                    .isEqualTo(1L);
            friend.send("in-flight", "yes, once", "once-1");
            erin.awaitText("#messages", "yes, once");
            assertThat(friend.framesOfType("message"))
                    .filteredOn(m -> "did you get this?".equals(m.getString("text")))
                    .hasSize(1);
        }
    }

    @Test
    void badInputIsStoppedInThePageAndServerErrorsShowWhereTheyBelong() {
        try (Browser dave = signedIn("dave", false)) {
            dave.find("#message-text").sendKeys(Keys.ENTER);
            dave.awaitText("#send-error", "Type a message first.");

            dave.type("#message-text", "x".repeat(4001));
            dave.find("#message-text").sendKeys(Keys.ENTER);
            dave.awaitText("#send-error", "At most 4000 characters");

            join(dave, "Not A Room");
            dave.awaitText("#join-error", "Room names are");

            join(dave, "private-secrets");
            dave.awaitText("#join-error", "(forbidden)");
        }
    }

    @Test
    void peopleSignInUnderNamesInAnyScriptAndTheirMessagesShowThem() {
        try (Browser zoe = signedIn(ZOE, false);
                Browser watanabe = signedIn(WATANABE, false)) {
            zoe.awaitText("#members", WATANABE);

            say(watanabe, "\u3053\u3093\u306B\u3061\u306F");
            zoe.awaitText("#messages", "\u3053\u3093\u306B\u3061\u306F");
            say(zoe, "bonjour");
            watanabe.awaitText("#messages", "bonjour");

            assertThat(zoe.find("#messages li.message:not(.own) .from").getText())
                    .isEqualTo(WATANABE);
            assertThat(watanabe.find("#messages li.message:not(.own) .from").getText())
                    .isEqualTo(ZOE);
            assertThat(zoe.find("#messages li.own .from").getText()).isEqualTo(ZOE + " (you)");
        }
    }

    @Test
    void aTokenWithABadNameShowsWhyAndDoesNotConnect() {
        double refused =
                metrics.value("chat_handshakes_rejected_total{reason=\"invalid_user_name\"}");
        try (Browser mallory = Browser.open(false).go(page)) {
            mallory.type("#token", TestTokens.valid("\u202Enimda"));
            mallory.find("#sign-in-form button[type=submit]").click();

            mallory.awaitText(
                    "#sign-in-error",
                    "Your sign-in name is not accepted: it contains an invisible formatting character.");
            assertThat(mallory.find("#status").getText()).isEqualTo("signed out");
            assertThat(mallory.find("#sign-in").isDisplayed()).isTrue();
        }
        assertThat(metrics.value("chat_handshakes_rejected_total{reason=\"invalid_user_name\"}"))
                .isEqualTo(refused);
    }

    @Test
    void aProductionTokenInTheFragmentSignsInAndLeavesTheAddressBar() {
        String token = TestTokens.valid("erin");
        try (Browser erin = Browser.open(false).go(page.resolve("/#token=" + token))) {
            erin.awaitText("#status", "connected as erin");
            assertThat(erin.script("return location.href")).asString().doesNotContain(token);
        }
    }

    @Test
    void anExpiredTokenAsksToSignInAgainInsteadOfReconnecting() {
        // Time enough for the browser to start and connect, short enough to watch it run out.
        try (Browser frank = Browser.open(false)) {
            String token =
                    Jwt.upn("frank")
                            .issuer(TestTokens.issuer())
                            .expiresIn(SHORT_TOKEN_SECONDS)
                            .sign();
            frank.go(page.resolve("/#token=" + token));
            frank.awaitText("#status", "connected as frank");

            frank.awaitText("#status", "token has expired");
            assertThat(frank.find("#sign-in").isDisplayed()).isTrue();
            assertThat(frank.find("#sign-in-error").getText()).contains("sign in again");
            assertThat(sessions.all()).noneMatch(session -> "frank".equals(session.user()));
        }
    }

    @Test
    void unreadMessagesAreCountedBesideTheirRoom() {
        try (Browser gina = signedIn("gina", false);
                Browser hank = signedIn("hank", false)) {
            join(hank, "side-room");
            hank.awaitText("#room-title", "side-room");
            joinAndGoBackToTheLobby(gina, "side-room");

            say(hank, "psst");
            say(hank, "over here");
            gina.awaitText("#rooms", "2");
            assertThat(gina.find("#rooms .unread").getAttribute("aria-label"))
                    .isEqualTo("2 unread");
        }
    }

    @Test
    void readingOnOneDeviceClearsTheOthersBadgeAndMarksWhatWasNew() {
        try (Browser laptop = signedIn("uma", false);
                ChatClient kim =
                        ChatClient.connect(page, TestTokens.valid("umas-friend")).join("news")) {
            joinAndGoBackToTheLobby(laptop, "news");

            for (int n = 1; n <= 3; n++) {
                kim.send("news", "headline " + n, "news-" + n);
            }
            laptop.awaitText("#rooms", "3");
            laptop.screenshot(SCREENSHOTS.resolve("unread.png"));

            try (Browser phone = signedIn("uma", true)) {
                join(phone, "news");
                phone.awaitText("#messages", "headline 3");
                phone.awaitText("#messages li.new", "New messages");
                assertThat(
                                phone.script(
                                        "return document.querySelector('#messages li.new')"
                                                + ".nextElementSibling.textContent"))
                        .asString()
                        .contains("headline 1");
                phone.screenshot(SCREENSHOTS.resolve("new-messages.png"));

                // The phone read the room: the laptop's badge goes.
                laptop.await(page -> page.findElements(By.cssSelector("#rooms .unread")).isEmpty());
            }
        }
    }

    @Test
    void theLastReadPositionGoesWhenTheUserTurnsToAnotherRoom() {
        try (Browser ivy = signedIn("ivy", false);
                ChatClient phone = ChatClient.connect(page, TestTokens.valid("ivy"));
                ChatClient jon =
                        ChatClient.connect(page, TestTokens.valid("jon")).join("cadence")) {
            showWithThePhoneIn(ivy, phone, "cadence");

            jon.send("cadence", "one", "c-1");
            long first = jon.awaitMessage("c-1").getLong("seq");
            phone.awaitFrame(Frames.read("cadence", first));
            // Within a second of that read, so the page holds this one back...
            jon.send("cadence", "two", "c-2");
            long last = jon.awaitMessage("c-2").getLong("seq");
            ivy.awaitText("#messages", "two");

            // ...and says it when the room is left, not when the wait is over.
            ivy.find("#rooms li:first-child button").click();
            phone.awaitFrame(Frames.read("cadence", last));
            assertThat(phone.framesOfType("read"))
                    .extracting(frame -> frame.getLong("seq"))
                    .containsExactly(first, last);
        }
    }

    @Test
    void aReadPositionWaitsForItsOwnMomentOfTheSecond() {
        try (Browser ivy = signedIn("ivy", false);
                ChatClient phone = ChatClient.connect(page, TestTokens.valid("ivy"));
                ChatClient jon = ChatClient.connect(page, TestTokens.valid("jon")).join("spread")) {
            showWithThePhoneIn(ivy, phone, "spread");
            // Every member of a room gets a message at the same moment; this page's moment is late.
            ivy.script("Math.random = () => 0.9");

            long sentAt = System.nanoTime();
            jon.send("spread", "hello", "s-1");
            long seq = jon.awaitMessage("s-1").getLong("seq");
            phone.awaitFrame(Frames.read("spread", seq));
            assertThat(Duration.ofNanos(System.nanoTime() - sentAt))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(850));
        }
    }

    @Test
    void aReadPositionGoingOutLeavesTheEmojiPickerOpen() {
        try (Browser ivy = signedIn("ivy", false);
                ChatClient phone = ChatClient.connect(page, TestTokens.valid("ivy"));
                ChatClient jon = ChatClient.connect(page, TestTokens.valid("jon")).join("picker")) {
            showWithThePhoneIn(ivy, phone, "picker");
            ivy.script("Math.random = () => 0.99"); // the read goes a second after the message

            jon.send("picker", "react to me", "p-1");
            long seq = jon.awaitMessage("p-1").getLong("seq");
            ivy.awaitText("#messages", "react to me");
            ivy.find("#messages li.message .control.react").sendKeys(Keys.ENTER);
            ivy.await(
                    page ->
                            ivy.script(
                                    "return document.activeElement.classList.contains('emoji')"));
            phone.awaitFrame(Frames.read("picker", seq));

            assertThat(ivy.script("return document.activeElement.classList.contains('emoji')"))
                    .as("the picker still has the focus")
                    .isEqualTo(true);
        }
    }

    @Test
    void inACrowdReadPositionsComeAtASlowerPace() {
        List<ChatClient> crowd = new ArrayList<>();
        try (Browser ivy = signedIn("ivy", false);
                ChatClient phone = ChatClient.connect(page, TestTokens.valid("ivy"));
                ChatClient jon =
                        ChatClient.connect(page, TestTokens.valid("jon")).join("stadium")) {
            for (int n = 1; n < 2 * READ_PACE_MEMBERS; n++) {
                crowd.add(ChatClient.connect(page, TestTokens.valid("fan-" + n)).join("stadium"));
            }
            showWithThePhoneIn(ivy, phone, "stadium");
            ivy.script("Math.random = () => 0"); // each read as early as its pace lets it

            jon.send("stadium", "kick-off", "k-1");
            phone.awaitFrame(Frames.read("stadium", jon.awaitMessage("k-1").getLong("seq")));
            long firstReadAt = System.nanoTime();
            jon.send("stadium", "goal", "k-2");
            phone.awaitFrame(Frames.read("stadium", jon.awaitMessage("k-2").getLong("seq")));

            // Two hundred members: two seconds between a page's reads, where a small room has one.
            assertThat(Duration.ofNanos(System.nanoTime() - firstReadAt))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        } finally {
            crowd.forEach(ChatClient::close);
        }
    }

    @Test
    void twoPeopleWriteEachOtherDirectlyAndTheConversationAppearsForTheOther() {
        try (Browser vic = signedIn("vic", false);
                Browser wes = signedIn("wes", true)) {
            vic.type("#dm-user", "wes");
            vic.find("#dm-user").sendKeys(Keys.ENTER);
            vic.awaitText("#room-title", "@wes");

            // Without a reload: the conversation comes into wes's list and opens by itself.
            wes.awaitText("#directs", "@vic");
            say(vic, "just for you");
            wes.awaitText("#directs .unread", "1");
            wes.screenshot(SCREENSHOTS.resolve("direct-unread.png"));
            wes.find("#directs li:first-child button").click();
            wes.awaitText("#room-title", "@vic");
            wes.awaitText("#messages", "just for you");
            say(wes, "thanks");
            vic.awaitText("#messages", "thanks");
            vic.screenshot(SCREENSHOTS.resolve("direct.png"));
            assertThat(vic.find("#rooms").getText()).doesNotContain("dm-");
        }
    }

    @Test
    void aReactionShowsUnderTheMessageForEveryoneAndIsTakenBackWithAClick() {
        try (Browser xia = signedIn("xia", false);
                Browser yan = signedIn("yan", false)) {
            say(xia, "pizza tonight?");
            yan.awaitText("#messages", "pizza tonight?");

            yan.click("#messages li.message .control.react");
            yan.click("#messages li.message .control.emoji");
            xia.awaitText("#messages li.message .reaction", "👍 1");
            assertThat(xia.find("#messages li.message .reaction").getAttribute("aria-label"))
                    .isEqualTo("👍 from yan");
            yan.await(
                    page ->
                            "true"
                                    .equals(
                                            yan.script(
                                                    "return document.querySelector('.reaction')"
                                                            + "?.getAttribute('aria-pressed')")));
            xia.screenshot(SCREENSHOTS.resolve("reactions.png"));

            yan.find("#messages li.message .reaction").click();
            xia.await(page -> page.findElements(By.cssSelector("#messages .reaction")).isEmpty());
        }
    }

    @Test
    void aMentionIsCountedApartBesideItsRoomAndStandsOutInIt() {
        try (Browser amy = signedIn("amy", false);
                ChatClient zed = ChatClient.connect(page, TestTokens.valid("zed")).join("plans")) {
            joinAndGoBackToTheLobby(amy, "plans");

            zed.send("plans", "@amy, can you book it?", "plans-1");
            zed.send("plans", "thanks all", "plans-2");
            amy.awaitText("#rooms .mentions", "@1");
            assertThat(amy.find("#rooms .unread").getText()).isEqualTo("2");
            assertThat(amy.find("#rooms .mentions").getAttribute("aria-label"))
                    .isEqualTo("1 mention of you");

            amy.find("#rooms li:nth-child(2) button").click();
            amy.awaitText("#messages li.mentions-me", "can you book it?");
            amy.screenshot(SCREENSHOTS.resolve("mention.png"));
            assertThat(amy.find("#rooms").findElements(By.cssSelector(".mentions"))).isEmpty();
        }
    }

    @Test
    void scrollingToTheTopLoadsOlderMessagesInPlaceEachOnceUnderItsDay() {
        String room = "scroll-back";
        int posted = history.size() + 20;
        try (ChatClient friend =
                        ChatClient.connect(page, TestTokens.valid("ivys-friend")).join(room);
                Browser ivy = signedIn("ivy", false)) {
            for (int i = 1; i <= posted; i++) {
                friend.send(room, "older message " + i, "older-" + i);
            }
            friend.awaitMessage("older-" + posted);
            join(ivy, room);
            ivy.awaitText("#messages", "older message " + posted);
            // Older messages fill a list too short to scroll; then it waits for the reader.
            ivy.await(
                    browser ->
                            ivy.script(
                                    "const m = document.getElementById('messages');"
                                            + "return m.getAttribute('aria-busy') === 'false'"
                                            + " && m.scrollHeight > m.clientHeight"));

            List<?> topBefore =
                    (List<?>)
                            ivy.script(
                                    "const m = document.getElementById('messages'); m.scrollTop = 0;"
                                            + "const top = m.querySelector('li.message');"
                                            + "return [Number(top.dataset.seq), top.getBoundingClientRect().top]");
            long seqAtTop = ((Number) topBefore.get(0)).longValue();
            ivy.await(browser -> shownSeqs(ivy).get(0) < seqAtTop);
            ivy.await(browser -> "false".equals(ivy.find("#messages").getAttribute("aria-busy")));
            double movedBy =
                    ((Number)
                                            ivy.script(
                                                    "return document.querySelector('#messages li[data-seq=\""
                                                            + seqAtTop
                                                            + "\"]').getBoundingClientRect().top"))
                                    .doubleValue()
                            - ((Number) topBefore.get(1)).doubleValue();
            assertThat(movedBy).as("the message at the top stays in place").isBetween(-1.0, 1.0);

            // Scrolled to the top again and again, the page walks back to the oldest message held.
            ivy.await(
                    browser -> {
                        ivy.script("document.getElementById('messages').scrollTop = 0");
                        return ivy.find("#messages li:first-child")
                                .getText()
                                .equals("Older messages are no longer kept.");
                    });
            long oldestHeld = (long) posted - history.size() + 1;
            assertThat(shownSeqs(ivy))
                    .isEqualTo(LongStream.rangeClosed(oldestHeld, posted).boxed().toList());
            assertThat(
                            ivy.script(
                                    "const days = document.querySelectorAll('#messages li.day');"
                                            + "let next = days[0].nextElementSibling;"
                                            + "if (next.classList.contains('new')) next = next.nextElementSibling;"
                                            + "return days.length === 1"
                                            + " && next === document.querySelector('#messages li.message')"))
                    .as(
                            "one day line, before the first message (and its new-messages line):"
                                    + " all were posted today")
                    .isEqualTo(true);

            friend.send(room, "and one more", "one-more");
            ivy.awaitText("#messages", "and one more");
            assertThat(shownSeqs(ivy))
                    .isEqualTo(LongStream.rangeClosed(oldestHeld, posted + 1).boxed().toList());
        }
    }

    @Test
    void aDayLineComesWhereverTheDayChangesBetweenTwoMessages() {
        try (Browser jo = Browser.open(false).go(page)) {
            // A page of older messages from the 27th and 28th meets what was shown of the 28th and
            // 29th;
            // noon UTC is the same calendar day everywhere, ten minutes later too.
            Object kinds =
                    jo.script(
                            "return import('/js/view.js').then(view => view.withDaySeparators(["
                                    + "{kind: 'message', seq: 1, ts: '2026-11-27T12:00:00.000Z'},"
                                    + "{kind: 'message', seq: 2, ts: '2026-11-28T12:00:00.000Z'},"
                                    + "{kind: 'message', seq: 3, ts: '2026-11-28T12:10:00.000Z'},"
                                    + "{kind: 'notice', text: 'ann joined'},"
                                    + "{kind: 'message', seq: 4, ts: '2026-11-29T12:00:00.000Z'},"
                                    + "{kind: 'message', seq: 5, ts: '2026-11-29T12:10:00.000Z'}"
                                    + "]).map(line => line.kind).join(' '))");

            assertThat(kinds)
                    .isEqualTo("day message day message message notice day message message");
        }
    }

    @Test
    void thePageComesWithAStrictContentSecurityPolicy() {
        String policy =
                given().when()
                        .get("/")
                        .then()
                        .statusCode(200)
                        .extract()
                        .header("Content-Security-Policy");

        assertThat(policy)
                .contains("script-src 'self'")
                .contains("object-src 'none'")
                .doesNotContain("unsafe-inline");
    }

    private Browser signedIn(String user, boolean phone) {
        Browser browser = Browser.open(phone).go(page);
        browser.type("#user-name", user);
        browser.find("#user-name").sendKeys(Keys.ENTER);
        browser.awaitText("#status", "connected as " + user);
        browser.awaitText("#room-title", "lobby");
        return browser;
    }

    /** The seq of every message the page shows, top to bottom. */
    private static List<Long> shownSeqs(Browser browser) {
        return ((List<?>)
                        browser.script(
                                "return [...document.querySelectorAll('#messages li.message')]"
                                        + ".map(item => Number(item.dataset.seq))"))
                .stream().map(seq -> ((Number) seq).longValue()).toList();
    }

    private static void say(Browser browser, String text) {
        browser.type("#message-text", text);
        browser.find("#message-text").sendKeys(Keys.ENTER);
    }

    /** Joins a room, which opens it, and opens the lobby again: the room waits in the list. */
    private static void joinAndGoBackToTheLobby(Browser browser, String room) {
        join(browser, room);
        browser.awaitText("#room-title", room);
        browser.click("#rooms li:first-child button");
        browser.awaitText("#room-title", "lobby");
    }

    /**
     * The page shows the room, and the user's phone is in it too: the phone hears every read
     * position the page sends.
     */
    private static void showWithThePhoneIn(Browser browser, ChatClient phone, String room) {
        join(browser, room);
        browser.awaitText("#room-title", room);
        phone.join(room);
    }

    private static void join(Browser browser, String room) {
        browser.type("#room-name", room);
        browser.find("#room-name").sendKeys(Keys.ENTER);
    }
}
