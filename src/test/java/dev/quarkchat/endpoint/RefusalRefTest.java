package dev.quarkchat.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * Every frame is answered, and the answer names it: a client that sends more than its rate limit
 * lets through gets an {@code error} with {@code ref} for each frame refused, so it knows exactly
 * which to send again.
 */
@QuarkusTest
@TestProfile(RefusalRefTest.SmallRateLimit.class)
class RefusalRefTest {

    private static final int MESSAGES_PER_SECOND = 20;
    private static final int BURST = 10;
    private static final int FLOOD = 80;

    /** A client told to slow down sends at half the sustained rate. */
    private static final Duration RESEND_PACE = Duration.ofMillis(2000 / MESSAGES_PER_SECOND);

    private static final int MAX_RESEND_ROUNDS = 5;

    /**
     * A rate limit a flood of {@value #FLOOD} frames goes well over, without the connection being
     * closed.
     */
    public static class SmallRateLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "chat.rate-limit.messages-per-second", String.valueOf(MESSAGES_PER_SECOND),
                    "chat.rate-limit.burst", String.valueOf(BURST),
                    "chat.rate-limit.max-violations", "1000");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyFrameOfAFloodIsAnsweredOnceByItsId() {
        try (ChatClient flooder =
                ChatClient.connect(base, TestTokens.valid("ref-flooder")).join("ref-flood")) {
            List<String> ids = ids("flood-", FLOOD);
            ids.forEach(id -> flooder.send("ref-flood", "text of " + id, id));

            Map<String, List<JsonObject>> answers =
                    awaitAnswers(flooder, 0, Set.copyOf(ids), Duration.ZERO);

            assertThat(answers.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(answers.values()).allSatisfy(answered -> assertThat(answered).hasSize(1));
            List<JsonObject> refused =
                    answers.values().stream()
                            .map(answered -> answered.get(0))
                            .filter(RefusalRefTest::isError)
                            .collect(Collectors.toList());
            assertThat(refused)
                    .as("refused frames")
                    .isNotEmpty()
                    .allSatisfy(
                            error -> assertThat(error.getString("code")).isEqualTo("rate_limited"));
            assertThat(FLOOD - refused.size())
                    .as("frames let through")
                    .isGreaterThanOrEqualTo(BURST - 1);
        }
    }

    @Test
    @SuppressWarnings(
            "FutureReturnValueIgnored") // a resend that fails shows up as an answer that never
    // comes
    void resendingExactlyTheRefusedFramesPostsEachOnceInOneOrderForEveryone() {
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try (ChatClient sender =
                        ChatClient.connect(base, TestTokens.valid("ref-sender"))
                                .join("ref-resend");
                ChatClient watcher =
                        ChatClient.connect(base, TestTokens.valid("ref-watcher"))
                                .join("ref-resend")) {
            List<String> ids = ids("resend-", FLOOD);
            int answeredSoFar = sender.frames().size();
            ids.forEach(id -> sender.send("ref-resend", "text of " + id, id));
            Set<String> refused =
                    refusedIds(awaitAnswers(sender, answeredSoFar, Set.copyOf(ids), Duration.ZERO));

            for (int round = 0; !refused.isEmpty(); round++) {
                assertThat(round).as("rounds of resends").isLessThan(MAX_RESEND_ROUNDS);
                answeredSoFar = sender.frames().size();
                List<String> resent = List.copyOf(refused);
                for (int i = 0; i < resent.size(); i++) {
                    String id = resent.get(i);
                    long delay = RESEND_PACE.toMillis() * (i + 1);
                    pacer.schedule(
                            () -> sender.send("ref-resend", "text of " + id, id),
                            delay,
                            TimeUnit.MILLISECONDS);
                }
                Duration resending = RESEND_PACE.multipliedBy(resent.size());
                refused =
                        refusedIds(
                                awaitAnswers(sender, answeredSoFar, Set.copyOf(resent), resending));
            }

            List<String> posted = messageIds(sender, "ref-resend", ids.size());
            assertThat(posted).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(messageIds(watcher, "ref-resend", ids.size()))
                    .as("the watcher's order")
                    .isEqualTo(posted);
        } finally {
            pacer.shutdownNow();
        }
    }

    private static List<String> ids(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).collect(Collectors.toList());
    }

    /**
     * Waits until each of {@code ids} has an answer among the frames received after the first
     * {@code answeredBefore}: its {@code message} echo or an {@code error} with its {@code ref}.
     *
     * @param sending how long the client takes to send them, on top of the usual wait
     * @return every answer to one of {@code ids} after that point, by id
     */
    private static Map<String, List<JsonObject>> awaitAnswers(
            ChatClient client, int answeredBefore, Set<String> ids, Duration sending) {
        Function<List<JsonObject>, Map<String, List<JsonObject>>> byId =
                frames ->
                        frames.stream()
                                .filter(
                                        frame ->
                                                answeredId(frame) != null
                                                        && ids.contains(answeredId(frame)))
                                .collect(Collectors.groupingBy(RefusalRefTest::answeredId));
        await("an echo or an error for each of " + ids.size() + " ids")
                .atMost(ChatClient.TIMEOUT.plus(sending))
                .until(
                        () ->
                                byId.apply(received(client, answeredBefore))
                                        .keySet()
                                        .containsAll(ids));
        return byId.apply(received(client, answeredBefore));
    }

    private static List<JsonObject> received(ChatClient client, int after) {
        List<JsonObject> frames = client.frames();
        return frames.subList(after, frames.size());
    }

    /**
     * The id a frame answers: a {@code message}'s {@code id}, an {@code error}'s {@code ref}; null
     * otherwise.
     */
    private static String answeredId(JsonObject frame) {
        if (isError(frame)) {
            return frame.getString("ref");
        }
        return "message".equals(frame.getString("type")) ? frame.getString("id") : null;
    }

    private static boolean isError(JsonObject frame) {
        return "error".equals(frame.getString("type"));
    }

    private static Set<String> refusedIds(Map<String, List<JsonObject>> answers) {
        answers.values()
                .forEach(answered -> assertThat(answered).as("answers to one frame").hasSize(1));
        return answers.values().stream()
                .map(answered -> answered.get(0))
                .filter(RefusalRefTest::isError)
                .map(error -> error.getString("ref"))
                .collect(Collectors.toSet());
    }

    /**
     * The ids of a room's messages as the client got them, in order, once it has {@code count} of
     * them.
     */
    private static List<String> messageIds(ChatClient client, String room, int count) {
        await().atMost(ChatClient.TIMEOUT).until(() -> client.messagesIn(room).size() >= count);
        List<JsonObject> messages = client.messagesIn(room);
        long first = messages.get(0).getLong("seq");
        assertThat(messages)
                .extracting(message -> message.getLong("seq"))
                .as("seq, gap-free from the first")
                .isEqualTo(
                        LongStream.range(first, first + messages.size())
                                .boxed()
                                .collect(Collectors.toList()));
        return messages.stream()
                .map(message -> message.getString("id"))
                .collect(Collectors.toList());
    }
}
