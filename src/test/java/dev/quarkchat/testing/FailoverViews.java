package dev.quarkchat.testing;

import static dev.quarkchat.testing.ApiRequests.given;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * What a client sends and sees of a room while a Redis shard fails over: sends retried, once the
 * instance is ready again after each {@code unavailable}, until acknowledged, and the room's frames
 * cut into views, each started by a {@code joined} (the join's answer, or the fresh view the server
 * sends unasked); and what the instance reports of the shard meanwhile.
 */
public final class FailoverViews {

    private FailoverViews() {}

    /**
     * Posts the text (its id is the text) to the instance at {@code base}, again each time the
     * instance is ready after an {@code unavailable}, until its message comes back within {@code
     * timeout}; returns how many times it was refused.
     */
    public static int sendUntilAcknowledged(
            ChatClient client, URI base, String room, String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int refusals = 0;
        while (true) {
            int errorsBefore = errorsFor(client, text);
            client.send(room, text, text);
            client.awaitFrame(
                    frame ->
                            ("message".equals(frame.getString("type"))
                                            && text.equals(frame.getString("id")))
                                    || errorsFor(client, text) > errorsBefore);
            if (!client.messagesWithId(text).isEmpty()) {
                return refusals;
            }
            assertThat(System.nanoTime()).as("%s acknowledged in time", text).isLessThan(deadline);
            refusals++;
            Readiness.await(base, 200, timeout);
        }
    }

    /**
     * Waits until the instance at {@code base} reports the shard down, in {@code chat_backplane_up}
     * and by name in readiness; the other shards stay up in the metrics.
     */
    public static void awaitShardReportedDown(URI base, String shard) {
        Metrics metrics = Metrics.at(base.toString());
        await().atMost(ChatClient.TIMEOUT).until(() -> metrics.value(upSeries(shard)) == 0);
        given().baseUri(base.toString())
                .get("/q/health/ready")
                .then()
                .statusCode(503)
                .body("checks.find { it.name == 'chat' }.data.unreachableShards", equalTo(shard));
    }

    /** The series of {@code chat_backplane_up} for the shard. */
    public static String upSeries(String shard) {
        return "chat_backplane_up{shard=\"" + shard + "\"}";
    }

    /**
     * The room's frames, cut into views: each starts with a {@code joined}, its messages follow.
     */
    public static List<List<JsonObject>> viewsOf(ChatClient client, String room) {
        List<List<JsonObject>> views = new ArrayList<>();
        for (JsonObject frame : client.frames()) {
            if (!room.equals(frame.getString("room"))) {
                continue;
            }
            if ("joined".equals(frame.getString("type"))) {
                views.add(new ArrayList<>(List.of(frame)));
            } else if ("message".equals(frame.getString("type"))) {
                views.get(views.size() - 1).add(frame);
            }
        }
        return views;
    }

    /** A view's messages follow one another seq by seq, without a gap or a repeat. */
    public static void assertContiguous(List<JsonObject> view) {
        List<Long> seqs =
                view.subList(1, view.size()).stream()
                        .map(message -> message.getLong("seq"))
                        .collect(Collectors.toList());
        if (!seqs.isEmpty()) {
            assertThat(seqs)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(seqs.get(0), seqs.get(0) + seqs.size() - 1)
                                    .boxed()
                                    .collect(Collectors.toList()));
        }
    }

    /** The ids of a view's messages, in order. */
    public static List<String> ids(List<JsonObject> view) {
        return view.subList(1, view.size()).stream()
                .map(message -> message.getString("id"))
                .collect(Collectors.toList());
    }

    /** {@code prefix + n} for n from {@code from} to {@code to}. */
    public static List<String> numbered(String prefix, int from, int to) {
        return IntStream.rangeClosed(from, to)
                .mapToObj(n -> prefix + n)
                .collect(Collectors.toList());
    }

    private static int errorsFor(ChatClient client, String ref) {
        return (int)
                client.framesOfType("error").stream()
                        .filter(error -> ref.equals(error.getString("ref")))
                        .peek(error -> assertThat(error.getString("code")).isEqualTo("unavailable"))
                        .count();
    }
}
