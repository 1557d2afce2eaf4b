package dev.quarkchat.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * Many people talking at once: every member gets every message exactly once, all in the same seq
 * order.
 */
@QuarkusTest
class BroadcastOrderingTest {

    private static final int CLIENTS = 10;
    private static final int MESSAGES_PER_CLIENT = 100;
    private static final String ROOM = "busy-room";

    @TestHTTPResource("/")
    URI base;

    @Test
    void concurrentSendersProduceOneGapFreeSequenceSeenIdenticallyByEveryMember() throws Exception {
        List<ChatClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(ChatClient.connect(base, TestTokens.valid("talker-" + i)).join(ROOM));
            }

            CompletableFuture<?>[] senders =
                    IntStream.range(0, CLIENTS)
                            .mapToObj(
                                    i ->
                                            CompletableFuture.runAsync(
                                                    () -> {
                                                        for (int n = 0;
                                                                n < MESSAGES_PER_CLIENT;
                                                                n++) {
                                                            clients.get(i)
                                                                    .send(
                                                                            ROOM,
                                                                            "message "
                                                                                    + n
                                                                                    + " from "
                                                                                    + i,
                                                                            id(i, n));
                                                        }
                                                    }))
                            .toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(senders).get(ChatClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            // Everyone's last message; once a member has all of them, any earlier message is in as
            // well.
            for (int i = 0; i < CLIENTS; i++) {
                for (ChatClient member : clients) {
                    member.awaitMessage(id(i, MESSAGES_PER_CLIENT - 1));
                }
            }

            int total = CLIENTS * MESSAGES_PER_CLIENT;
            List<String> expectedIds =
                    IntStream.range(0, CLIENTS)
                            .boxed()
                            .flatMap(
                                    i ->
                                            IntStream.range(0, MESSAGES_PER_CLIENT)
                                                    .mapToObj(n -> id(i, n)))
                            .collect(Collectors.toList());
            List<String> referenceOrder = idsInArrivalOrder(clients.get(0));
            for (ChatClient member : clients) {
                List<JsonObject> messages = roomMessages(member);
                assertThat(messages)
                        .extracting(message -> message.getLong("seq"))
                        .containsExactlyElementsOf(
                                LongStream.rangeClosed(1, total)
                                        .boxed()
                                        .collect(Collectors.toList()));
                assertThat(idsInArrivalOrder(member))
                        .containsExactlyInAnyOrderElementsOf(expectedIds)
                        .containsExactlyElementsOf(referenceOrder);
                for (int i = 0; i < CLIENTS; i++) {
                    String sender = "talker-" + i;
                    assertThat(messages)
                            .filteredOn(message -> sender.equals(message.getString("from")))
                            .extracting(message -> message.getString("id"))
                            .as("one sender's messages keep the order they were sent in")
                            .containsExactlyElementsOf(
                                    IntStream.range(0, MESSAGES_PER_CLIENT)
                                            .mapToObj(n -> id(sender, n))
                                            .collect(Collectors.toList()));
                }
            }
        } finally {
            clients.forEach(ChatClient::close);
        }
    }

    private static List<JsonObject> roomMessages(ChatClient member) {
        return member.framesOfType("message").stream()
                .filter(message -> ROOM.equals(message.getString("room")))
                .collect(Collectors.toList());
    }

    private static List<String> idsInArrivalOrder(ChatClient member) {
        return roomMessages(member).stream()
                .map(message -> message.getString("id"))
                .collect(Collectors.toList());
    }

    private static String id(int client, int n) {
        return id("talker-" + client, n);
    }

    private static String id(String sender, int n) {
        return sender + "/" + n;
    }
}
