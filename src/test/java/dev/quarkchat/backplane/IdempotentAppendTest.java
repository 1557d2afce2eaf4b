package dev.quarkchat.backplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.quarkchat.chat.IdempotencyConfig;
import dev.quarkchat.history.HistoryConfig;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.RedisBackplane;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/**
 * The append script's idempotency rules, run by two instances' own Redis connections: this application's,
 * and a second {@link RedisLink} and {@link RedisRooms} made here, as another instance has them. The id is
 * looked up and remembered in the same script that gives the seq, so two instances racing post once.
 */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class IdempotentAppendTest {

    private static final String USER = "a-ann";
    private static final String TEXT = "hello";

    @Inject
    RedisRooms thisInstance;

    @Inject
    Instance<Redis> client;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry meters;

    @Inject
    RedisBackplaneConfig backplane;

    @Inject
    HistoryConfig history;

    private final List<RedisLink> links = new ArrayList<>();

    @AfterEach
    void disconnectTheOtherInstances() {
        links.forEach(link -> link.stop(null));
    }

    @Test
    void twoInstancesRacingWithOneIdPostItOnce() {
        String room = "append-race";
        RedisRooms otherInstance = anotherInstance(Duration.ofMinutes(10), 1000);
        for (int n = 1; n <= 50; n++) {
            RedisRooms.SentId sent = sentId("race-" + n, TEXT);
            List<Appended> both = Uni.join().all(append(thisInstance, room, sent), append(otherInstance, room, sent))
                    .andFailFast().await().atMost(ChatClient.TIMEOUT);

            assertThat(both).filteredOn(Appended.Posted.class::isInstance).hasSize(1);
            Appended.Posted posted = (Appended.Posted) both.stream().filter(Appended.Posted.class::isInstance)
                    .findFirst().orElseThrow();
            Appended.AlreadyPosted repeated = (Appended.AlreadyPosted) both.stream()
                    .filter(Appended.AlreadyPosted.class::isInstance).findFirst().orElseThrow();
            assertThat(posted.seq()).isEqualTo(n);
            assertThat(repeated.seq()).isEqualTo(n);
            assertThat(repeated.ts()).isEqualTo(Instant.ofEpochMilli(sent.tsMillis()));
            assertThat(repeated.textDigest()).isEqualTo(sent.textDigest());
        }
        assertThat(redis(Request.cmd(Command.XLEN).arg(key(room, "log")))).isEqualTo(50);
    }

    @Test
    void eachUserKeepsAtMostItsCapOfIdsPerRoomAndForgetsTheOldest() {
        String room = "append-cap";
        int cap = 5;
        RedisRooms otherInstance = anotherInstance(Duration.ofMinutes(10), cap);
        for (int n = 1; n <= 4 * cap; n++) {
            assertThat(append(otherInstance, room, sentId("cap-" + n, TEXT)).await().atMost(ChatClient.TIMEOUT))
                    .isInstanceOf(Appended.Posted.class);
        }

        assertThat(redis(Request.cmd(Command.HLEN).arg(key(room, "ids:" + USER)))).isEqualTo(cap);
        assertThat(redis(Request.cmd(Command.ZCARD).arg(key(room, "id-ages:" + USER)))).isEqualTo(cap);
        assertThat(append(otherInstance, room, sentId("cap-" + 4 * cap, TEXT)).await().atMost(ChatClient.TIMEOUT))
                .isInstanceOf(Appended.AlreadyPosted.class);
        assertThat(append(otherInstance, room, sentId("cap-1", TEXT)).await().atMost(ChatClient.TIMEOUT))
                .as("forgotten past the cap: posted again").isInstanceOf(Appended.Posted.class);
    }

    @Test
    void anIdIsForgottenAfterTheWindowAndItsKeysExpireInRedis() {
        String room = "append-window";
        RedisRooms otherInstance = anotherInstance(Duration.ofMillis(500), 1000);
        RedisRooms.SentId sent = sentId("window-1", TEXT);
        assertThat(append(otherInstance, room, sent).await().atMost(ChatClient.TIMEOUT))
                .isInstanceOf(Appended.Posted.class);
        assertThat(append(otherInstance, room, sent).await().atMost(ChatClient.TIMEOUT))
                .isInstanceOf(Appended.AlreadyPosted.class);

        await().atMost(ChatClient.TIMEOUT).until(() -> redis(Request.cmd(Command.EXISTS).arg(key(room, "ids:" + USER))
                .arg(key(room, "id-ages:" + USER))) == 0);
        assertThat(append(otherInstance, room, sent).await().atMost(ChatClient.TIMEOUT))
                .isInstanceOf(Appended.Posted.class);
    }

    @Test
    void anIdCountsOnlyInTheEpochItWasPostedIn() {
        String room = "append-epoch";
        RedisRooms.SentId sent = sentId("epoch-1", TEXT);
        assertThat(append(thisInstance, room, sent).await().atMost(ChatClient.TIMEOUT))
                .isInstanceOf(Appended.Posted.class);

        redis(Request.cmd(Command.DEL).arg(key(room, "meta")));

        assertThat(append(thisInstance, room, sent).await().atMost(ChatClient.TIMEOUT))
                .isEqualTo(new Appended.Posted(1));
    }

    @Test
    void sendsWithoutAnIdAreAllPosted() {
        String room = "append-anonymous";
        for (int n = 1; n <= 3; n++) {
            assertThat(append(thisInstance, room, Optional.empty()).await().atMost(ChatClient.TIMEOUT))
                    .isEqualTo(new Appended.Posted(n));
        }
    }

    private RedisRooms anotherInstance(Duration window, int maxKeysPerUser) {
        RedisLink link = new RedisLink(client, vertx, meters, backplane);
        links.add(link);
        link.start(event -> {
        }, () -> {
        });
        await().atMost(ChatClient.TIMEOUT).until(link::isUp);
        return new RedisRooms(link, backplane, history, new Idempotency(window, maxKeysPerUser, 1));
    }

    /** Settings of the other instance, which this test chooses. */
    private record Idempotency(Duration window, int maxKeysPerUser, int maxKeys) implements IdempotencyConfig {
    }

    private static RedisRooms.SentId sentId(String id, String text) {
        return new RedisRooms.SentId(USER, id, Integer.toHexString(text.hashCode()), Instant.now().toEpochMilli());
    }

    private static Uni<Appended> append(RedisRooms instance, String room, RedisRooms.SentId sent) {
        return append(instance, room, Optional.of(sent));
    }

    private static Uni<Appended> append(RedisRooms instance, String room, Optional<RedisRooms.SentId> sent) {
        Instant ts = Instant.ofEpochMilli(sent.map(RedisRooms.SentId::tsMillis).orElse(0L));
        Optional<String> id = sent.map(RedisRooms.SentId::id);
        ServerFrames.SeqSlot frame = ServerFrames.messageAroundSeq(room, USER, TEXT, ts, id);
        return instance.append(room, frame.before(), frame.after(), sent);
    }

    private long redis(Request command) {
        return client.get().send(command).await().atMost(ChatClient.TIMEOUT).toLong();
    }

    private String key(String room, String part) {
        return backplane.keyPrefix() + "{" + room + "}:" + part;
    }
}
