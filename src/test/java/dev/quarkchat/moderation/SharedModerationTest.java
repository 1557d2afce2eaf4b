package dev.quarkchat.moderation;

import static dev.quarkchat.testing.Frames.left;
import static dev.quarkchat.testing.Frames.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.engine.Ban;
import dev.quarkchat.engine.ModerationCommand;
import dev.quarkchat.engine.redis.OtherRedisInstance;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link ModerationTest} with the rooms shared through Redis, and a second instance (its own link
 * to the same Redis): commands it publishes reach the connections of the application under test,
 * the application's reach it, and bans are kept in Redis, where an instance that starts later finds
 * them.
 */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class SharedModerationTest extends ModerationTest {

    /** How long a ban the backplane never carried may take to reach an instance: one reload. */
    private static final Duration RELOADED = Moderation.RELOAD_INTERVAL.plus(ChatClient.TIMEOUT);

    private OtherRedisInstance other;

    @BeforeEach
    void startTheOtherInstance() {
        other = new OtherRedisInstance();
    }

    @AfterEach
    void stopTheOtherInstance() {
        other.close();
    }

    @Test
    void aDisconnectTakenByTheOtherInstanceClosesTheConnectionsHere() {
        try (ChatClient ann = connect("sd-ann");
                ChatClient ben = connect("sd-ben")) {
            result(other.bus().publish(new ModerationCommand.Disconnect("sd-ann")));

            assertThat(ann.awaitClose()).isEqualTo(4000);
            ben.join("sd-still-here");
            assertThat(ben.closed()).isFalse();
        }
    }

    @Test
    void aKickTakenByTheOtherInstanceTakesTheConnectionsHereOutOfTheRoom() {
        String room = "sk-room";
        try (ChatClient ann = connect("sk-ann").join(room);
                ChatClient ben = connect("sk-ben").join(room)) {
            result(other.bus().publish(new ModerationCommand.Kick("sk-ann", room)));

            ann.awaitFrame(left(room, "kicked"));
            ben.awaitFrame(presence(room, "sk-ann", "leave"));
        }
    }

    @Test
    void aBanPlacedByTheOtherInstanceAppliesHereAtOnceAndItsLiftToo() {
        String room = "sb-room";
        try (ChatClient ann = connect("sb-ann");
                ChatClient cat = connect("sb-cat").join(room)) {
            Ban global = ban("sb-ann", Optional.empty());
            Ban ofRoom = ban("sb-cat", Optional.of(room));
            result(other.store().put(global));
            result(other.bus().publish(new ModerationCommand.Banned(global)));
            result(other.store().put(ofRoom));
            result(other.bus().publish(new ModerationCommand.Banned(ofRoom)));

            assertThat(ann.awaitClose()).isEqualTo(4003);
            cat.awaitFrame(left(room, "banned"));
            assertThat(upgradeStatus("sb-ann")).isEqualTo(403);
            cat.sendJson(new JsonObject().put("type", "join").put("room", room).put("id", "sb-1"));
            assertThat(cat.awaitError("sb-1").getString("code")).isEqualTo("banned");

            result(other.store().lift("sb-ann", Optional.empty(), Instant.now()));
            result(other.bus().publish(new ModerationCommand.Lifted("sb-ann", Optional.empty())));
            result(other.store().lift("sb-cat", Optional.of(room), Instant.now()));
            result(other.bus().publish(new ModerationCommand.Lifted("sb-cat", Optional.of(room))));
            await().atMost(ChatClient.TIMEOUT).until(() -> upgradeStatus("sb-ann") == 101);
            await().atMost(ChatClient.TIMEOUT)
                    .until(
                            () -> {
                                String id = "sb-" + System.nanoTime();
                                cat.sendJson(
                                        new JsonObject()
                                                .put("type", "join")
                                                .put("room", room)
                                                .put("id", id));
                                JsonObject answer =
                                        cat.awaitFrame(
                                                frame ->
                                                        id.equals(frame.getString("id"))
                                                                || id.equals(
                                                                        frame.getString("ref")));
                                return "joined".equals(answer.getString("type"));
                            });
        }
    }

    @Test
    void theCommandsTakenHereReachTheOtherInstance() {
        done(moderation.disconnect(MODERATOR, "so-ann", Optional.empty()));
        done(moderation.kick(MODERATOR, "so-room", "so-ann", Optional.empty()));
        Ban ban =
                done(
                        moderation.ban(
                                MODERATOR,
                                "so-ann",
                                Optional.of("so-room"),
                                Optional.empty(),
                                "r"));
        done(moderation.lift(MODERATOR, "so-ann", Optional.of("so-room")));

        await().atMost(ChatClient.TIMEOUT)
                .untilAsserted(
                        () ->
                                assertThat(other.heard())
                                        .containsExactly(
                                                new ModerationCommand.Disconnect("so-ann"),
                                                new ModerationCommand.Kick("so-ann", "so-room"),
                                                new ModerationCommand.Banned(ban),
                                                new ModerationCommand.Lifted(
                                                        "so-ann", Optional.of("so-room"))));
    }

    @Test
    void bansAreKeptInRedisForTheInstancesThatStartLater() {
        Ban ban =
                done(
                        moderation.ban(
                                MODERATOR, "sr-ann", Optional.empty(), Optional.empty(), "kept"));

        try (OtherRedisInstance startedLater = new OtherRedisInstance()) {
            assertThat(result(startedLater.store().active(Instant.now()))).contains(ban);
        }
        done(moderation.lift(MODERATOR, "sr-ann", Optional.empty()));
    }

    @Test
    void aBanTheBackplaneNeverCarriedAppliesAfterTheNextReload() {
        try (ChatClient ann = connect("sl-ann")) {
            result(other.store().put(ban("sl-ann", Optional.empty())));

            assertThat(ann.awaitCloseWithin(RELOADED)).isEqualTo(4003);
            assertThat(upgradeStatus("sl-ann")).isEqualTo(403);
        }
        done(moderation.lift(MODERATOR, "sl-ann", Optional.empty()));
    }

    private static Ban ban(String user, Optional<String> room) {
        return new Ban(
                user,
                room,
                Optional.empty(),
                "from the other instance",
                "other-ops",
                Instant.ofEpochMilli(Instant.now().toEpochMilli()));
    }
}
