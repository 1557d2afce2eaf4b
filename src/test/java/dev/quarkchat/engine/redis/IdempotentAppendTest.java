package dev.quarkchat.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.engine.Appended;
import dev.quarkchat.engine.Broker;
import dev.quarkchat.engine.HistoryConfig;
import dev.quarkchat.engine.IdempotencyConfig;
import dev.quarkchat.engine.Post;
import dev.quarkchat.engine.TextDigest;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The append script's idempotency rules, run by two instances' own Redis connections: this
 * application's, and a second {@link RedisLink} and {@link RedisBroker} made here, as another
 * instance has them. The id is looked up and remembered in the same script that gives the seq, so
 * two instances racing post once.
 */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class IdempotentAppendTest {

    private static final String USER = "a-ann";
    private static final String TEXT = "hello";

    @Inject Broker thisInstance;

    @Inject Instance<Redis> client;

    @Inject RedisBackplaneConfig backplane;

    @Inject HistoryConfig history;

    private final List<RedisLink> links = new ArrayList<>();

    @AfterEach
    void disconnectTheOtherInstances() {
        links.forEach(link -> link.stop(null));
    }

    @Test
    void twoInstancesRacingWithOneIdPostItOnce() {
        String room = "append-race";
        RedisBroker otherInstance = anotherInstance(Duration.ofMinutes(10), 1000);
        for (int n = 1; n <= 50; n++) {
            Post sent = post(room, "race-" + n);
            List<Appended> both =
                    Uni.join()
                            .all(append(thisInstance, sent), append(otherInstance, sent))
                            .andFailFast()
                            .await()
                            .atMost(ChatClient.TIMEOUT);

            assertThat(both).filteredOn(Appended.Posted.class::isInstance).hasSize(1);
            Appended.Posted posted =
                    (Appended.Posted)
                            both.stream()
                                    .filter(Appended.Posted.class::isInstance)
                                    .findFirst()
                                    .orElseThrow();
            Appended.AlreadyPosted repeated =
                    (Appended.AlreadyPosted)
                            both.stream()
                                    .filter(Appended.AlreadyPosted.class::isInstance)
                                    .findFirst()
                                    .orElseThrow();
            assertThat(posted.seq()).isEqualTo(n);
            assertThat(repeated.seq()).isEqualTo(n);
            assertThat(repeated.ts()).isEqualTo(sent.ts());
            assertThat(repeated.text()).isEqualTo(TextDigest.of(TEXT));
        }
        assertThat(redis(Request.cmd(Command.XLEN).arg(key(room, "log")))).isEqualTo(50);
    }

    @Test
    void eachUserKeepsAtMostItsCapOfIdsPerRoomAndForgetsTheOldest() {
        String room = "append-cap";
        int cap = 5;
        RedisBroker otherInstance = anotherInstance(Duration.ofMinutes(10), cap);
        for (int n = 1; n <= 4 * cap; n++) {
            assertThat(
                            append(otherInstance, post(room, "cap-" + n))
                                    .await()
                                    .atMost(ChatClient.TIMEOUT))
                    .isInstanceOf(Appended.Posted.class);
        }

        assertThat(redis(Request.cmd(Command.HLEN).arg(key(room, "ids:" + USER)))).isEqualTo(cap);
        assertThat(redis(Request.cmd(Command.ZCARD).arg(key(room, "id-ages:" + USER))))
                .isEqualTo(cap);
        assertThat(
                        append(otherInstance, post(room, "cap-" + 4 * cap))
                                .await()
                                .atMost(ChatClient.TIMEOUT))
                .isInstanceOf(Appended.AlreadyPosted.class);
        assertThat(append(otherInstance, post(room, "cap-1")).await().atMost(ChatClient.TIMEOUT))
                .as("forgotten past the cap: posted again")
                .isInstanceOf(Appended.Posted.class);
    }

    @Test
    void anIdIsForgottenAfterTheWindowAndItsKeysExpireInRedis() {
        String room = "append-window";
        RedisBroker otherInstance = anotherInstance(Duration.ofMillis(500), 1000);
        Post sent = post(room, "window-1");
        assertThat(append(otherInstance, sent).await().atMost(ChatClient.TIMEOUT))
                .isInstanceOf(Appended.Posted.class);
        assertThat(append(otherInstance, sent).await().atMost(ChatClient.TIMEOUT))
                .isInstanceOf(Appended.AlreadyPosted.class);

        await().atMost(ChatClient.TIMEOUT)
                .until(
                        () ->
                                redis(
                                                Request.cmd(Command.EXISTS)
                                                        .arg(key(room, "ids:" + USER))
                                                        .arg(key(room, "id-ages:" + USER)))
                                        == 0);
        assertThat(append(otherInstance, sent).await().atMost(ChatClient.TIMEOUT))
                .isInstanceOf(Appended.Posted.class);
    }

    @Test
    void anIdCountsOnlyInTheEpochItWasPostedIn() {
        String room = "append-epoch";
        Post sent = post(room, "epoch-1");
        assertThat(append(thisInstance, sent).await().atMost(ChatClient.TIMEOUT))
                .isInstanceOf(Appended.Posted.class);

        redis(Request.cmd(Command.DEL).arg(key(room, "meta")));

        assertThat(append(thisInstance, sent).await().atMost(ChatClient.TIMEOUT))
                .extracting(appended -> ((Appended.Posted) appended).seq())
                .isEqualTo(1L);
    }

    @Test
    void sendsWithoutAnIdAreAllPosted() {
        String room = "append-anonymous";
        for (int n = 1; n <= 3; n++) {
            assertThat(
                            append(
                                            thisInstance,
                                            Post.of(
                                                    room,
                                                    USER,
                                                    TEXT,
                                                    Instant.now(),
                                                    Optional.empty()))
                                    .await()
                                    .atMost(ChatClient.TIMEOUT))
                    .extracting(appended -> ((Appended.Posted) appended).seq())
                    .isEqualTo((long) n);
        }
    }

    private RedisBroker anotherInstance(Duration window, int maxKeysPerUser) {
        RedisLink link = AnotherLink.create();
        links.add(link);
        RedisBroker broker =
                new RedisBroker(
                        link, backplane, history, new Idempotency(window, maxKeysPerUser, 1));
        broker.start(() -> {});
        await().atMost(ChatClient.TIMEOUT).until(link::isUp);
        return broker;
    }

    /** Settings of the other instance, which this test chooses. */
    private record Idempotency(Duration window, int maxKeysPerUser, int maxKeys)
            implements IdempotencyConfig {}

    /** A post of {@link #TEXT} with that id, at a ts of whole milliseconds as Redis keeps it. */
    private static Post post(String room, String id) {
        return Post.of(
                room,
                USER,
                TEXT,
                Instant.ofEpochMilli(Instant.now().toEpochMilli()),
                Optional.of(id));
    }

    private static Uni<Appended> append(Broker instance, Post post) {
        CompletionStage<Appended> appended = instance.publish(post);
        return Uni.createFrom().completionStage(appended);
    }

    private long redis(Request command) {
        return client.get().send(command).await().atMost(ChatClient.TIMEOUT).toLong();
    }

    private String key(String room, String part) {
        return backplane.keyPrefix() + "{" + room + "}:" + part;
    }
}
