package dev.quarkchat.it;

import static dev.quarkchat.testing.Frames.presence;
import static dev.quarkchat.testing.Frames.typing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.EmbeddedRedis;
import dev.quarkchat.testing.Frames;
import dev.quarkchat.testing.OperatorKeys;
import dev.quarkchat.testing.PackagedApp;

import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Several instances of the packaged service (jar, or native executable with {@code -Dnative})
 * sharing their rooms through a real Redis: one sequence per room across instances, recovery on
 * another instance, cluster-wide presence and connection counts that outlive no crashed instance, a
 * drain on SIGTERM that loses nobody's messages, read positions and new direct conversations told
 * to a user's connections on every instance, typing throttled across instances, resends answered on
 * another instance and posted once, and a Redis restart the instances get over by themselves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackplaneIT {

    /** Short, so that a crashed instance's users are gone within seconds. */
    private static final Duration PRESENCE_TTL = Duration.ofSeconds(3);

    private static final Duration CRASH_NOTICED = PRESENCE_TTL.multipliedBy(3);

    /** Few enough to reach in a test, and more than any user here holds otherwise. */
    private static final int CONNECTIONS_PER_USER = 4;

    private static Map<String, String> operatorSettings;
    private static EmbeddedRedis redis;
    private static PackagedApp first;
    private static PackagedApp second;

    @BeforeAll
    static void startRedisAndTwoInstances() {
        operatorSettings = new OperatorKeys().start();
        redis = EmbeddedRedis.start();
        first = startInstance("backplane-1");
        second = startInstance("backplane-2");
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        first.close();
        second.close();
        redis.close();
    }

    @Test
    @Order(1)
    void clientsOnDifferentInstancesShareOneSequence() throws Exception {
        String room = "bridge";
        int perSender = 50;
        try (ChatClient ann = connect(first, "bp-ann").join(room);
                ChatClient bob = connect(second, "bp-bob").join(room)) {
            ann.awaitFrame(presence(room, "bp-bob", "join"));

            CompletableFuture<Void> annSends =
                    CompletableFuture.runAsync(() -> sendNumbered(ann, room, "ann", perSender));
            CompletableFuture<Void> bobSends =
                    CompletableFuture.runAsync(() -> sendNumbered(bob, room, "bob", perSender));
            CompletableFuture.allOf(annSends, bobSends)
                    .get(ChatClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            ann.awaitMessage("bob-" + perSender);
            bob.awaitMessage("ann-" + perSender);
            await().atMost(ChatClient.TIMEOUT)
                    .until(
                            () ->
                                    ann.messagesIn(room).size() == 2 * perSender
                                            && bob.messagesIn(room).size() == 2 * perSender);

            assertThat(ann.seqsIn(room)).containsExactlyElementsOf(range(1, 2L * perSender));
            assertThat(ids(bob, room)).containsExactlyElementsOf(ids(ann, room));
            assertThat(bob.seqsIn(room)).containsExactlyElementsOf(ann.seqsIn(room));
        }
    }

    @Test
    @Order(2)
    void aClientRecoversWhatItMissedOnTheOtherInstance() {
        String room = "relay";
        try (ChatClient dan = connect(second, "bp-dan").join(room)) {
            String epoch;
            long since;
            try (ChatClient cat = connect(first, "bp-cat").join(room)) {
                sendNumbered(dan, room, "early", 5);
                cat.awaitMessage("early-5");
                epoch = joined(cat, room).getString("epoch");
                since = last(cat.seqsIn(room));
            }
            sendNumbered(dan, room, "missed", 7);

            try (ChatClient cat = connect(second, "bp-cat")) {
                cat.sendJson(
                        new JsonObject()
                                .put("type", "join")
                                .put("room", room)
                                .put("since", since)
                                .put("epoch", epoch));
                cat.awaitMessage("missed-7");
                dan.send(room, "live", "live-1");
                cat.awaitMessage("live-1");

                assertThat(joined(cat, room).getBoolean("recovered")).isTrue();
                assertThat(cat.seqsIn(room)).containsExactlyElementsOf(range(since + 1, since + 8));
            }
        }
    }

    @Test
    @Order(3)
    void readPositionsAndNewConversationsReachTheUsersConnectionsOnEveryInstance() {
        String room = "reading";
        try (ChatClient ann = connect(first, "bp-reader").join(room);
                ChatClient annsPhone = connect(second, "bp-reader").join(room);
                ChatClient bob = connect(first, "bp-writer").join(room);
                ChatClient dee = connect(second, "bp-dee")) {
            bob.send(room, "read me", "read-me");
            long seq = ann.awaitMessage("read-me").getLong("seq");
            ann.sendJson(new JsonObject().put("type", "read").put("room", room).put("seq", seq));
            annsPhone.awaitFrame(Frames.read(room, seq));

            bob.sendJson(
                    new JsonObject().put("type", "dm").put("user", "bp-dee").put("id", "dm-1"));
            String direct =
                    bob.awaitFrame(frame -> "dm-1".equals(frame.getString("id"))).getString("room");
            JsonObject appeared =
                    dee.awaitFrame(
                            frame ->
                                    "room".equals(frame.getString("type"))
                                            && direct.equals(frame.getString("room")));
            assertThat(appeared.getString("dm")).isEqualTo("bp-writer");
        }
    }

    @Test
    @Order(4)
    void typingOnTwoInstancesReachesTheOthersOncePerInterval() {
        String room = "typing";
        try (ChatClient typistHere = connect(first, "bp-typist").join(room);
                ChatClient typistThere = connect(second, "bp-typist").join(room);
                ChatClient eve = connect(first, "bp-eve").join(room);
                ChatClient fay = connect(second, "bp-fay").join(room)) {
            for (int n = 0; n < 5; n++) {
                typistHere.sendJson(typingIn(room));
                typistThere.sendJson(typingIn(room));
            }
            // Each connection's message follows its typing frames through Redis: once both have
            // arrived, every typing event published before them has too.
            typistHere.send(room, "here", "typed-here");
            typistThere.send(room, "there", "typed-there");
            for (ChatClient member : List.of(eve, fay)) {
                member.awaitMessage("typed-here");
                member.awaitMessage("typed-there");
                assertThat(member.frames()).filteredOn(typing(room, "bp-typist")).hasSize(1);
            }
            assertThat(typistHere.framesOfType("typing")).isEmpty();
            assertThat(typistThere.framesOfType("typing")).isEmpty();
        }
    }

    @Test
    @Order(5)
    void aCrashedInstancesUsersLeaveEveryRoomAndTheirConnectionsStopCounting() throws Exception {
        String room = "watch";
        List<ChatClient> fays = new ArrayList<>();
        try (PackagedApp doomed = startInstance("backplane-crash");
                ChatClient eve = connect(first, "bp-eve").join(room)) {
            fays.add(connect(doomed, "bp-fay").join(room));
            eve.awaitFrame(presence(room, "bp-fay", "join"));
            while (fays.size() < CONNECTIONS_PER_USER) {
                fays.add(connect(doomed, "bp-fay"));
            }
            assertThat(ChatClient.connectUnlessEnded(first.baseUri(), OperatorKeys.token("bp-fay")))
                    .as("one too many, counting the other instance's")
                    .isEmpty();

            doomed.kill();

            eve.awaitFrame(CRASH_NOTICED, presence(room, "bp-fay", "leave"));
            Optional<ChatClient> back =
                    await().atMost(CRASH_NOTICED)
                            .until(
                                    () ->
                                            ChatClient.connectUnlessEnded(
                                                    first.baseUri(), OperatorKeys.token("bp-fay")),
                                    Optional::isPresent);
            back.get().close();
        } finally {
            fays.forEach(ChatClient::close);
        }
    }

    @Test
    @Order(6)
    void onSigtermClientsReconnectToAnotherInstanceAndMissNothing() throws Exception {
        String room = "handover";
        int messages = 300;
        try (PackagedApp leaving = startInstance("backplane-drain");
                ChatClient sender = connect(first, "bp-sender").join(room)) {
            ChatClient reader = connect(leaving, "bp-reader").join(room);
            String epoch = joined(reader, room).getString("epoch");
            sendNumbered(sender, room, "h", 1, messages / 2);
            reader.awaitMessage("h-" + messages / 2);

            // More goes out while the instance drains (some reaches the reader before its 1001),
            // and the rest
            // once the reader is gone, so that it surely misses some, however fast the build.
            int lastInFlight = messages * 3 / 4;
            leaving.terminate();
            CompletableFuture<Void> sending =
                    CompletableFuture.runAsync(
                            () -> sendNumbered(sender, room, "h", messages / 2 + 1, lastInFlight));
            assertThat(reader.awaitClose()).isEqualTo(1001);
            sending.get(ChatClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            sendNumbered(sender, room, "h", lastInFlight + 1, messages);
            List<Long> beforeDrain = reader.seqsIn(room);

            try (ChatClient back = connect(second, "bp-reader")) {
                back.sendJson(
                        new JsonObject()
                                .put("type", "join")
                                .put("room", room)
                                .put("since", last(beforeDrain))
                                .put("epoch", epoch));
                back.awaitMessage("h-" + messages);
                assertThat(joined(back, room).getBoolean("recovered")).isTrue();

                List<Long> all = new ArrayList<>(beforeDrain);
                all.addAll(back.seqsIn(room));
                assertThat(all).containsExactlyElementsOf(range(1, messages));
            }
            assertThat(leaving.awaitExit()).isIn(0, 143);
        }
    }

    @Test
    @Order(7)
    void aResendOnTheOtherInstanceIsAnsweredWithTheOriginalAndRacingResendsPostOnce()
            throws Exception {
        String room = "resend";
        int racing = 30;
        try (ChatClient lee = connect(first, "bp-lee").join(room)) {
            ChatClient kim = connect(first, "bp-kim").join(room);
            String epoch = joined(kim, room).getString("epoch");
            kim.send(room, "did this go through?", "resend-1");
            JsonObject original = lee.awaitMessage("resend-1");
            kim.abort();

            try (ChatClient back = connect(second, "bp-kim");
                    ChatClient phone = connect(first, "bp-kim").join(room)) {
                back.sendJson(
                        new JsonObject()
                                .put("type", "join")
                                .put("room", room)
                                .put("since", 0)
                                .put("epoch", epoch));
                back.awaitMessage("resend-1");
                back.send(room, "did this go through?", "resend-1");
                await().atMost(ChatClient.TIMEOUT)
                        .until(() -> back.messagesWithId("resend-1").size() == 2);
                assertThat(back.messagesWithId("resend-1")).containsOnly(original);

                // The same user on both instances sends the same ids at once: each is posted once.
                CompletableFuture<Void> here =
                        CompletableFuture.runAsync(() -> sendNumbered(phone, room, "r", racing));
                CompletableFuture<Void> there =
                        CompletableFuture.runAsync(() -> sendNumbered(back, room, "r", racing));
                CompletableFuture.allOf(here, there)
                        .get(ChatClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                for (int n = 1; n <= racing; n++) {
                    String id = "r-" + n;
                    await().atMost(ChatClient.TIMEOUT)
                            .until(
                                    () ->
                                            phone.messagesWithId(id).size()
                                                            + back.messagesWithId(id).size()
                                                    == 3);
                }
                sendNumbered(lee, room, "after", 1);
                lee.awaitMessage("after-1");
                assertThat(lee.seqsIn(room)).containsExactlyElementsOf(range(1, racing + 2));
                assertThat(ids(lee, room)).doesNotHaveDuplicates();
                assertThat(lee.messagesWithId("resend-1")).containsExactly(original);
            }
        }
    }

    @Test
    @Order(8)
    void afterARedisRestartBothInstancesCarryOnByThemselves() {
        String room = "restart";
        try (ChatClient gus = connect(first, "bp-gus").join(room);
                ChatClient hal = connect(second, "bp-hal").join(room)) {
            gus.awaitFrame(presence(room, "bp-hal", "join"));
            sendNumbered(gus, room, "before", 1);
            hal.awaitMessage("before-1");

            redis.stop();
            first.awaitReadiness(503);
            second.awaitReadiness(503);
            gus.send(room, "lost?", "down-1");
            assertThat(gus.awaitError("down-1").getString("code")).isEqualTo("unavailable");

            redis.restart();
            first.awaitReadiness(200);
            second.awaitReadiness(200);
            hal.send(room, "after the restart", "after-1");
            assertThat(gus.awaitMessage("after-1").getLong("seq")).isEqualTo(1L);
            assertThat(hal.awaitMessage("after-1").getLong("seq")).isEqualTo(1L);
            assertThat(ids(gus, room)).containsExactly("before-1", "after-1");
        }
    }

    private static PackagedApp startInstance(String name) {
        Map<String, String> settings = new HashMap<>(operatorSettings);
        settings.put("chat.backplane", "redis");
        settings.put("quarkus.redis.hosts", redis.uri());
        settings.put("chat.backplane.redis.check-interval", "200ms");
        settings.put("chat.backplane.redis.presence-ttl", PRESENCE_TTL.toMillis() + "ms");
        settings.put("chat.history.size", "1000");
        settings.put("chat.max-connections-per-user", String.valueOf(CONNECTIONS_PER_USER));
        // Far longer than a test: the typing test counts exactly one event per interval.
        settings.put("chat.typing-interval", "1m");
        // The senders here send as fast as they can, far over a person's rate.
        settings.put("chat.rate-limit.messages-per-second", "100000");
        settings.put("chat.rate-limit.burst", "100000");
        return PackagedApp.start(name, settings).awaitListening().awaitReadiness(200);
    }

    private static ChatClient connect(PackagedApp app, String user) {
        return ChatClient.connect(app.baseUri(), OperatorKeys.token(user));
    }

    private static void sendNumbered(ChatClient client, String room, String prefix, int count) {
        sendNumbered(client, room, prefix, 1, count);
    }

    private static void sendNumbered(
            ChatClient client, String room, String prefix, int first, int last) {
        for (int n = first; n <= last; n++) {
            client.send(room, prefix + " " + n, prefix + "-" + n);
        }
    }

    private static JsonObject typingIn(String room) {
        return new JsonObject().put("type", "typing").put("room", room);
    }

    private static JsonObject joined(ChatClient client, String room) {
        return client.awaitFrame(
                frame ->
                        "joined".equals(frame.getString("type"))
                                && room.equals(frame.getString("room")));
    }

    private static List<String> ids(ChatClient client, String room) {
        return client.messagesIn(room).stream()
                .map(frame -> frame.getString("id"))
                .collect(Collectors.toList());
    }

    private static long last(List<Long> seqs) {
        return seqs.get(seqs.size() - 1);
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().collect(Collectors.toList());
    }
}
