package dev.quarkchat.moderation;

import static dev.quarkchat.testing.Frames.left;
import static dev.quarkchat.testing.Frames.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.engine.Ban;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Frames;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Moderation through its bean, as the API calls it, with real WebSocket clients: disconnect, kick,
 * bans of the chat and of a room (refused upgrades and joins, connections removed at once, an end
 * that comes on time, lifting), hostile arguments refused with a type and nothing done, and an
 * audit line for each action.
 */
@QuarkusTest
public class ModerationTest {

    protected static final String MODERATOR = "ops-bot";

    @TestHTTPResource("/")
    protected URI base;

    @Inject protected Moderation moderation;

    private final List<LogRecord> audit = new ArrayList<>();
    private final Handler auditHandler =
            new Handler() {
                @Override
                public void publish(LogRecord record) {
                    synchronized (audit) {
                        audit.add(record);
                    }
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };

    @BeforeEach
    void listenToTheAuditLog() {
        Logger.getLogger("dev.quarkchat.audit").addHandler(auditHandler);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("dev.quarkchat.audit").removeHandler(auditHandler);
    }

    @Test
    void aDisconnectClosesEveryConnectionOfTheUserAndNoOtherAndTheUserMayComeBack() {
        try (ChatClient laptop = connect("md-ann");
                ChatClient phone = connect("md-ann");
                ChatClient bystander = connect("md-ben")) {
            assertThat(result(moderation.disconnect(MODERATOR, "md-ann", Optional.of("cool off"))))
                    .isInstanceOf(Outcome.Done.class);

            assertThat(laptop.awaitClose()).isEqualTo(4000);
            assertThat(phone.awaitClose()).isEqualTo(4000);
            assertThat(laptop.closeReason()).isEqualTo("disconnected by a moderator");
            bystander.join("md-still-here");
            assertThat(bystander.closed()).isFalse();
            connect("md-ann").close();
        }
        assertThat(auditLines())
                .anyMatch(
                        line ->
                                line.contains("action=disconnect outcome=done")
                                        && line.contains("caller=\"" + MODERATOR + "\"")
                                        && line.contains("user=\"md-ann\"")
                                        && line.contains("reason=\"cool off\""));
    }

    @Test
    void aRoomBanTakesTheRoomOutOfTheUsersListEvenIfItWasAway() {
        try (ChatClient away = connect("md-listed").join("md-listing")) {
            away.sendJson(new JsonObject().put("type", "rooms").put("id", "md-l1"));
            assertThat(away.awaitFrame(frame -> "md-l1".equals(frame.getString("id"))).encode())
                    .contains("\"md-listing\"");
        }
        done(
                moderation.ban(
                        MODERATOR,
                        "md-listed",
                        Optional.of("md-listing"),
                        Optional.empty(),
                        "spam"));
        try (ChatClient back = connect("md-listed")) {
            JsonObject rooms = back.awaitFrame(frame -> "rooms".equals(frame.getString("type")));
            assertThat(rooms.encode()).doesNotContain("\"md-listing\"");
        } finally {
            done(moderation.lift(MODERATOR, "md-listed", Optional.empty()));
        }
    }

    @Test
    void aKickTakesEveryConnectionOutOfTheRoomAndTheOthersSeeALeave() {
        String room = "mk-room";
        try (ChatClient laptop = connect("mk-ann").join(room);
                ChatClient phone = connect("mk-ann").join(room);
                ChatClient other = connect("mk-ben").join(room)) {
            laptop.join("mk-elsewhere");

            assertThat(result(moderation.kick(MODERATOR, room, "mk-ann", Optional.empty())))
                    .isInstanceOf(Outcome.Done.class);

            laptop.awaitFrame(left(room, "kicked"));
            phone.awaitFrame(left(room, "kicked"));
            other.awaitFrame(presence(room, "mk-ann", "leave"));
            laptop.send("mk-elsewhere", "still in the other room", "mk-1");
            laptop.awaitMessage("mk-1");
            laptop.sendJson(
                    new JsonObject()
                            .put("type", "send")
                            .put("room", room)
                            .put("text", "x")
                            .put("id", "mk-2"));
            assertThat(laptop.awaitError("mk-2").getString("code")).isEqualTo("not_joined");

            laptop.join(room);
            other.awaitFrame(presence(room, "mk-ann", "join"));
        }
        assertThat(auditLines())
                .anyMatch(
                        line ->
                                line.contains("action=kick outcome=done")
                                        && line.contains("room=\"mk-room\""));
    }

    @Test
    void aModeratorDeletesAnyMessageForEveryMemberAndAgainChangesNothing() {
        String room = "md-room";
        try (ChatClient author = connect("md-ann").join(room);
                ChatClient reader = connect("md-ben").join(room)) {
            author.send(room, "something to remove", "md-1");
            long seq = author.awaitMessage("md-1").getLong("seq");

            assertThat(result(moderation.deleteMessage(MODERATOR, room, seq)))
                    .isInstanceOf(Outcome.Done.class);

            for (ChatClient member : List.of(author, reader)) {
                member.awaitFrame(Frames.deleted(room, seq));
            }
            assertThat(result(moderation.deleteMessage(MODERATOR, room, seq)))
                    .isInstanceOf(Outcome.Done.class);
            assertRefused(
                    moderation.deleteMessage(MODERATOR, room, seq + 1000), Refusal.UNKNOWN_MESSAGE);
            assertRefused(moderation.deleteMessage(MODERATOR, room, 0), Refusal.INVALID_SEQ);
            assertRefused(
                    moderation.deleteMessage(MODERATOR, "Md Room", seq), Refusal.INVALID_ROOM);
            assertThat(reader.framesOfType("deleted")).hasSize(1);
        }
        assertThat(auditLines())
                .anyMatch(
                        line ->
                                line.contains("action=delete outcome=done")
                                        && line.contains("caller=\"" + MODERATOR + "\"")
                                        && line.contains("room=\"md-room\" seq="));
    }

    @Test
    void aBanOfTheChatClosesTheUsersConnectionsAndRefusesTheirUpgradesUntilLifted() {
        try (ChatClient banned = connect("mb-ann");
                ChatClient bystander = connect("mb-ben")) {
            Outcome<Ban> outcome =
                    result(
                            moderation.ban(
                                    MODERATOR,
                                    "mb-ann",
                                    Optional.empty(),
                                    Optional.empty(),
                                    "spam"));

            assertThat(outcome).isInstanceOf(Outcome.Done.class);
            Ban ban = ((Outcome.Done<Ban>) outcome).value();
            assertThat(ban.user()).isEqualTo("mb-ann");
            assertThat(ban.by()).isEqualTo(MODERATOR);
            assertThat(banned.awaitClose()).isEqualTo(4003);
            assertThat(banned.closeReason()).isEqualTo("banned by a moderator");
            assertThat(upgradeStatus("mb-ann")).isEqualTo(403);
            assertThat(listed()).anyMatch(listedBan -> listedBan.user().equals("mb-ann"));
            assertThat(bystander.closed()).isFalse();

            Outcome<List<Ban>> lifted =
                    result(moderation.lift(MODERATOR, "mb-ann", Optional.empty()));
            assertThat(lifted).isInstanceOf(Outcome.Done.class);
            assertThat(((Outcome.Done<List<Ban>>) lifted).value()).containsExactly(ban);
            connect("mb-ann").close();
            assertThat(listed()).noneMatch(listedBan -> listedBan.user().equals("mb-ann"));
            assertThat(result(moderation.lift(MODERATOR, "mb-ann", Optional.empty())))
                    .isEqualTo(
                            new Outcome.Refused<List<Ban>>(
                                    Refusal.NOT_BANNED, "the user is not banned"));
        }
        assertThat(auditLines())
                .anyMatch(
                        line ->
                                line.contains("action=ban outcome=done")
                                        && line.contains("user=\"mb-ann\"")
                                        && line.contains("reason=\"spam\"")
                                        && !line.contains("room="))
                .anyMatch(line -> line.contains("action=lift outcome=done"));
    }

    @Test
    void aBanOfARoomTakesTheUserOutAndRefusesTheirJoinsOfItOnly() {
        String room = "mr-room";
        try (ChatClient banned = connect("mr-ann").join(room);
                ChatClient other = connect("mr-ben").join(room)) {
            Instant until = Instant.now().plus(Duration.ofHours(1));
            assertThat(
                            result(
                                    moderation.ban(
                                            MODERATOR,
                                            "mr-ann",
                                            Optional.of(room),
                                            Optional.of(until),
                                            "flooding")))
                    .isInstanceOf(Outcome.Done.class);

            banned.awaitFrame(left(room, "banned"));
            other.awaitFrame(presence(room, "mr-ann", "leave"));
            banned.sendJson(
                    new JsonObject().put("type", "join").put("room", room).put("id", "mr-1"));
            JsonObject refused = banned.awaitError("mr-1");
            assertThat(refused.getString("code")).isEqualTo("banned");
            banned.join("mr-other-room");
            try (ChatClient again = connect("mr-ann")) {
                again.sendJson(
                        new JsonObject().put("type", "join").put("room", room).put("id", "mr-2"));
                assertThat(again.awaitError("mr-2").getString("code")).isEqualTo("banned");
            }
            assertThat(banned.closed()).isFalse();

            assertThat(result(moderation.lift(MODERATOR, "mr-ann", Optional.of("mr-other-room"))))
                    .isInstanceOf(Outcome.Refused.class);
            assertThat(result(moderation.lift(MODERATOR, "mr-ann", Optional.of(room))))
                    .isInstanceOf(Outcome.Done.class);
            banned.join(room);
        }
        assertThat(auditLines())
                .anyMatch(
                        line ->
                                line.contains("action=ban outcome=done")
                                        && line.contains("room=\"mr-room\"")
                                        && line.contains("until=")
                                        && line.contains("reason=\"flooding\""));
    }

    @Test
    void aBanEndsOnItsOwnAtItsEnd() {
        Instant until = Instant.now().plus(Duration.ofSeconds(2));
        assertThat(
                        result(
                                moderation.ban(
                                        MODERATOR,
                                        "me-ann",
                                        Optional.empty(),
                                        Optional.of(until),
                                        "two seconds")))
                .isInstanceOf(Outcome.Done.class);
        assertThat(upgradeStatus("me-ann")).isEqualTo(403);

        await().atMost(ChatClient.TIMEOUT).until(() -> upgradeStatus("me-ann") == 101);
        assertThat(Instant.now()).isAfterOrEqualTo(until);
        assertThat(listed()).noneMatch(ban -> ban.user().equals("me-ann"));
    }

    @Test
    void aNewBanOfTheSameScopeReplacesTheOld() {
        Ban first =
                done(
                        moderation.ban(
                                MODERATOR,
                                "mn-ann",
                                Optional.of("mn-room"),
                                Optional.empty(),
                                "one"));
        Ban second =
                done(
                        moderation.ban(
                                MODERATOR,
                                "mn-ann",
                                Optional.of("mn-room"),
                                Optional.empty(),
                                "two"));
        done(
                moderation.ban(
                        MODERATOR, "mn-ann", Optional.of("mn-other"), Optional.empty(), "three"));

        assertThat(listed())
                .filteredOn(ban -> ban.user().equals("mn-ann"))
                .extracting(Ban::reason)
                .containsExactlyInAnyOrder("two", "three");
        assertThat(first.reason()).isEqualTo("one");
        List<Ban> lifted = done(moderation.lift(MODERATOR, "mn-ann", Optional.empty()));
        assertThat(lifted)
                .extracting(Ban::reason)
                .containsExactlyInAnyOrder(second.reason(), "three");
    }

    @Test
    void hostileArgumentsAreRefusedWithATypeAndChangeNothing() {
        String tooLong = "x".repeat(Moderation.MAX_REASON_LENGTH + 1);
        Optional<Instant> past = Optional.of(Instant.now().minusSeconds(1));
        Optional<Instant> farFuture = Optional.of(Instant.parse("+10000-01-01T00:00:00Z"));

        for (String user : badUserNames()) {
            assertRefused(
                    moderation.disconnect(MODERATOR, user, Optional.empty()), Refusal.INVALID_USER);
            assertRefused(
                    moderation.kick(MODERATOR, "mh-room", user, Optional.empty()),
                    Refusal.INVALID_USER);
            assertRefused(
                    moderation.ban(MODERATOR, user, Optional.empty(), Optional.empty(), "r"),
                    Refusal.INVALID_USER);
            assertRefused(moderation.lift(MODERATOR, user, Optional.empty()), Refusal.INVALID_USER);
        }
        for (String room : badRoomNames()) {
            assertRefused(
                    moderation.kick(MODERATOR, room, "mh-ann", Optional.empty()),
                    Refusal.INVALID_ROOM);
            assertRefused(
                    moderation.ban(
                            MODERATOR, "mh-ann", Optional.ofNullable(room), Optional.empty(), "r"),
                    Refusal.INVALID_ROOM);
            if (room != null) {
                assertRefused(
                        moderation.lift(MODERATOR, "mh-ann", Optional.of(room)),
                        Refusal.INVALID_ROOM);
            }
        }
        for (String reason :
                new String[] {
                    null, "", "   ", tooLong, "nul\u0000inside", "line\nbreak", "half \uD83D pair"
                }) {
            assertRefused(
                    moderation.ban(MODERATOR, "mh-ann", Optional.empty(), Optional.empty(), reason),
                    Refusal.INVALID_REASON);
            if (reason != null) {
                assertRefused(
                        moderation.disconnect(MODERATOR, "mh-ann", Optional.of(reason)),
                        Refusal.INVALID_REASON);
                assertRefused(
                        moderation.kick(MODERATOR, "mh-room", "mh-ann", Optional.of(reason)),
                        Refusal.INVALID_REASON);
            }
        }
        assertRefused(
                moderation.ban(MODERATOR, "mh-ann", Optional.empty(), past, "late"),
                Refusal.INVALID_UNTIL);
        assertRefused(
                moderation.ban(
                        MODERATOR, "mh-ann", Optional.empty(), Optional.of(Instant.now()), "now"),
                Refusal.INVALID_UNTIL);
        assertRefused(
                moderation.ban(MODERATOR, "mh-ann", Optional.empty(), farFuture, "forever"),
                Refusal.INVALID_UNTIL);
        for (String caller : new String[] {null, "", "evil\u202Ename", " padded"}) {
            assertRefused(
                    moderation.disconnect(caller, "mh-ann", Optional.empty()),
                    Refusal.INVALID_CALLER);
            assertRefused(
                    moderation.ban(caller, "mh-ann", Optional.empty(), Optional.empty(), "r"),
                    Refusal.INVALID_CALLER);
        }

        assertThat(listed()).noneMatch(ban -> ban.user().equals("mh-ann"));
        assertThat(upgradeStatus("mh-ann")).isEqualTo(101);
        assertThat(auditLines()).noneMatch(line -> line.contains("mh-ann"));
    }

    @Test
    void aReasonAtTheLimitAndANameInAnotherNormalFormAreTakenAsTheUsersOwn() {
        String decomposed = "mz-zoe\u0308";
        String reason = "é".repeat(Moderation.MAX_REASON_LENGTH);
        try (ChatClient zoe = connect("mz-zo\u00eb")) {
            Ban ban =
                    done(
                            moderation.ban(
                                    MODERATOR,
                                    decomposed,
                                    Optional.empty(),
                                    Optional.empty(),
                                    reason));

            assertThat(ban.user()).isEqualTo("mz-zo\u00eb");
            assertThat(zoe.awaitClose()).isEqualTo(4003);
            assertThat(done(moderation.lift(MODERATOR, decomposed, Optional.empty()))).hasSize(1);
        }
    }

    /** Names no token can carry, and shapes an injection would take. */
    protected static List<String> badUserNames() {
        List<String> names = new ArrayList<>();
        names.add(null);
        names.add("");
        names.add(" ann");
        names.add("ann\u0000");
        names.add("ann\r\nX-Injected: yes");
        names.add("ad\u202Emin");
        names.add("\u3164");
        names.add("x".repeat(257));
        return names;
    }

    protected static List<String> badRoomNames() {
        List<String> rooms = new ArrayList<>();
        rooms.add("");
        rooms.add("General");
        rooms.add("../etc/passwd");
        rooms.add("room'; DROP TABLE chat_ban; --");
        rooms.add("a b");
        rooms.add("*");
        rooms.add("r".repeat(65));
        return rooms;
    }

    protected ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }

    /** The HTTP status of one upgrade of that user: 101 if accepted. */
    protected int upgradeStatus(String user) {
        try {
            ChatClient.open(
                            ChatClient.handshake(base)
                                    .header("Authorization", "Bearer " + TestTokens.valid(user)))
                    .close();
            return 101;
        } catch (IllegalStateException failed) {
            if (failed.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw failed;
        }
    }

    protected List<Ban> listed() {
        return done(moderation.bans());
    }

    protected List<String> auditLines() {
        synchronized (audit) {
            return audit.stream().map(LogRecord::getMessage).toList();
        }
    }

    protected static <T> T result(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture()
                    .get(ChatClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("No outcome within " + ChatClient.TIMEOUT, e);
        }
    }

    protected static <T> T done(CompletionStage<Outcome<T>> stage) {
        Outcome<T> outcome = result(stage);
        assertThat(outcome).isInstanceOf(Outcome.Done.class);
        return ((Outcome.Done<T>) outcome).value();
    }

    private static void assertRefused(
            CompletionStage<? extends Outcome<?>> stage, Refusal expected) {
        Outcome<?> outcome = result(stage);
        assertThat(outcome).isInstanceOf(Outcome.Refused.class);
        assertThat(((Outcome.Refused<?>) outcome).refusal()).isEqualTo(expected);
    }
}
