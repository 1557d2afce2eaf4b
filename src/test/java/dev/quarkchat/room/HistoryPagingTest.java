package dev.quarkchat.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.engine.HistoryConfig;
import dev.quarkchat.protocol.CommandDecoder;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonObject;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scrolling back with {@code history}: every page is compared with a model of what the store holds,
 * on chosen boundaries and on seeded random walks back and forth; only members read a room's
 * history, and bad values get typed errors. See docs/protocol.md, "Scrolling back". Subclasses
 * rerun it over other stores: they say what their store holds in {@link #oldestHeld}. A walk is
 * rerun with {@code -Dpaging.seed=<seed>}.
 */
@QuarkusTest
class HistoryPagingTest {

    private static final AtomicInteger NAMES = new AtomicInteger();

    /** Distinguishes this run's rooms from those an earlier run left in a shared store. */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    private static final int WALK_STEPS = 300;

    /** How far past the room's end a random {@code before} may point. */
    private static final int BEYOND_THE_END = 20;

    @TestHTTPResource("/")
    URI base;

    @Inject HistoryConfig history;

    /**
     * The oldest seq the store still holds of a room whose latest message is {@code lastSeq}
     * ({@code lastSeq + 1} when it holds none): the last {@code chat.history.size} messages in
     * memory and in Redis. A store that keeps everything answers 1.
     */
    protected long oldestHeld(long lastSeq) {
        return Math.max(1, lastSeq - history.size() + 1);
    }

    @Test
    void randomWalksBackAndForthGetExactlyWhatTheStoreHolds() {
        long seed = Long.getLong("paging.seed", System.nanoTime());
        Random random = new Random(seed);
        try (ChatClient walker = connect("walker")) {
            PostedRoom room = PostedRoom.posted(walker, name("walk"), history.size() + 37);
            Long before = null;
            JsonObject previous = null;
            for (int step = 0; step < WALK_STEPS; step++) {
                before = nextBefore(random, room, before, previous);
                Integer limit = random.nextInt(5) == 0 ? null : 1 + random.nextInt(pageMax());
                previous = walker.history(room.name, before, limit, "walk-" + step);
                assertMatchesModel(
                        previous,
                        room,
                        before,
                        limit,
                        "seed " + seed + ", step " + step + " (-Dpaging.seed=" + seed + ")");
            }
        }
    }

    @Test
    void anEmptyRoomHasEmptyPagesThatEndAtOnce() {
        try (ChatClient ann = connect("ann")) {
            PostedRoom room = PostedRoom.posted(ann, name("empty"), 0);

            for (Long before : new Long[] {null, 1L, 2L, Long.MAX_VALUE}) {
                JsonObject page = ann.history(room.name, before, null, "empty-" + before);
                assertMatchesModel(page, room, before, null, "before " + before);
                assertThat(page.getJsonArray("messages")).isEmpty();
                assertThat(page.getBoolean("more")).isFalse();
                assertThat(page.getLong("firstSeq")).isEqualTo(1L);
            }
        }
    }

    @Test
    void theFirstMessageIsThePageBeforeSeqTwoAndNothingIsBeforeIt() {
        try (ChatClient ann = connect("ann")) {
            PostedRoom room = PostedRoom.posted(ann, name("first"), 1);

            assertMatchesModel(
                    ann.history(room.name, null, null, "f-1"), room, null, null, "latest");
            assertMatchesModel(ann.history(room.name, 2L, 1, "f-2"), room, 2L, 1, "before 2");
            JsonObject beforeFirst = ann.history(room.name, 1L, null, "f-3");
            assertMatchesModel(beforeFirst, room, 1L, null, "before 1");
            assertThat(beforeFirst.getJsonArray("messages")).isEmpty();
            assertThat(beforeFirst.getBoolean("more")).isFalse();
        }
    }

    @Test
    void aBeforeBeyondTheEndIsTheLatestPage() {
        try (ChatClient ann = connect("ann")) {
            PostedRoom room = PostedRoom.posted(ann, name("beyond"), 5);

            JsonObject farBeyond = ann.history(room.name, 1000L, null, "b-1");
            assertMatchesModel(farBeyond, room, 1000L, null, "before 1000");
            assertThat(farBeyond.getJsonArray("messages")).hasSize(5);
            assertMatchesModel(
                    ann.history(room.name, Long.MAX_VALUE, 2, "b-2"),
                    room,
                    Long.MAX_VALUE,
                    2,
                    "the largest before");
            assertMatchesModel(ann.history(room.name, 6L, 3, "b-3"), room, 6L, 3, "just past");
        }
    }

    @Test
    void aPageOfPageMaxMessagesIsServedAndOneMoreIsRefused() {
        try (ChatClient ann = connect("ann")) {
            PostedRoom room = PostedRoom.posted(ann, name("page-max"), pageMax() + 10);

            assertMatchesModel(
                    ann.history(room.name, null, pageMax(), "m-1"),
                    room,
                    null,
                    pageMax(),
                    "limit page-max");
            assertMatchesModel(
                    ann.history(room.name, (long) pageMax(), pageMax(), "m-2"),
                    room,
                    (long) pageMax(),
                    pageMax(),
                    "limit page-max, before page-max");
            ann.sendJson(historyFrame(room.name, "m-3").put("limit", pageMax() + 1));
            assertThat(ann.awaitError("m-3").getString("code")).isEqualTo("invalid_limit");
        }
    }

    @Test
    void pagingStopsAtTheOldestMessageHeld() {
        try (ChatClient ann = connect("ann")) {
            PostedRoom room = PostedRoom.posted(ann, name("edge"), history.size() + 5);
            long first = oldestHeld(room.lastSeq);

            for (long before = Math.max(1, first - 1); before <= first + 2; before++) {
                for (Integer limit : new Integer[] {1, 2, null}) {
                    JsonObject page =
                            ann.history(room.name, before, limit, "e-" + before + "-" + limit);
                    assertMatchesModel(
                            page, room, before, limit, "before " + before + ", limit " + limit);
                    assertThat(page.getLong("firstSeq")).isEqualTo(first);
                }
            }
            // Walking back from the end reaches the oldest held message and stops there.
            List<Long> walkedBack = new ArrayList<>();
            Long before = null;
            boolean more = true;
            for (long pages = 0; more; pages++) {
                JsonObject page = ann.history(room.name, before, 7, "w-" + pages);
                List<Long> seqs = seqs(page);
                walkedBack.addAll(0, seqs);
                before = seqs.isEmpty() ? before : seqs.get(0);
                more = page.getBoolean("more");
                assertThat(pages).as("pages walked back").isLessThan(room.lastSeq);
            }
            assertThat(walkedBack).isEqualTo(range(first, room.lastSeq + 1));
        }
    }

    @Test
    void theAnswerGoesToTheAskingConnectionAlone() {
        try (ChatClient ann = connect("ann");
                ChatClient ben = connect("ben")) {
            PostedRoom room = PostedRoom.posted(ann, name("alone"), 3);
            ben.join(room.name);

            assertMatchesModel(ann.history(room.name, null, null, "a-1"), room, null, null, "");
            ann.send(room.name, "after the page", "after-page");
            ben.awaitMessage("after-page");

            assertThat(ben.framesOfType("history")).isEmpty();
        }
    }

    @Test
    void onlyAMemberMayReadARoomsHistory() {
        try (ChatClient ann = connect("ann");
                ChatClient stranger = connect("stranger")) {
            PostedRoom room = PostedRoom.posted(ann, name("members"), 2);

            assertNotJoined(stranger, room.name, "never joined");
            stranger.join(room.name);
            assertMatchesModel(
                    stranger.history(room.name, null, null, "s-1"), room, null, null, "");
            stranger.sendJson(
                    new JsonObject().put("type", "leave").put("room", room.name).put("id", "s-2"));
            stranger.awaitFrame(frame -> "s-2".equals(frame.getString("id")));
            assertNotJoined(stranger, room.name, "left");
        }
    }

    @Test
    void aPrivateRoomsHistoryIsForItsMembersOnly() {
        String privateRoom = "private-" + name("history");
        try (ChatClient insider = ChatClient.connect(base, granting("insider", privateRoom));
                ChatClient granted = ChatClient.connect(base, granting("granted", privateRoom));
                ChatClient outsider = connect("outsider")) {
            PostedRoom room = PostedRoom.posted(insider, privateRoom, 3);

            assertNotJoined(outsider, privateRoom, "no grant");
            assertNotJoined(granted, privateRoom, "granted, not joined");
            granted.join(privateRoom);
            assertMatchesModel(
                    granted.history(privateRoom, null, null, "p-1"), room, null, null, "joined");
        }
    }

    @Test
    void badValuesGetTypedErrorsWithTheirRefAndTheConnectionGoesOn() {
        try (ChatClient ann = connect("ann")) {
            PostedRoom room = PostedRoom.posted(ann, name("bad"), 3);
            Object[][] cases = {
                {"before", 0, "invalid_before"},
                {"before", -5, "invalid_before"},
                {"before", "3", "invalid_before"},
                {"before", 2.5, "invalid_before"},
                {"before", new JsonObject(), "invalid_before"},
                {"limit", 0, "invalid_limit"},
                {"limit", -1, "invalid_limit"},
                {"limit", pageMax() + 1, "invalid_limit"},
                {"limit", Long.MAX_VALUE, "invalid_limit"},
                {"limit", "10", "invalid_limit"},
                {"limit", true, "invalid_limit"},
            };
            for (int i = 0; i < cases.length; i++) {
                String id = "bad-" + i;
                ann.sendJson(historyFrame(room.name, id).put((String) cases[i][0], cases[i][1]));

                assertThat(ann.awaitError(id).getString("code"))
                        .as(cases[i][0] + " " + cases[i][1])
                        .isEqualTo(cases[i][2]);
            }
            ann.sendJson(historyFrame("No PostedRoom", "bad-room"));
            assertThat(ann.awaitError("bad-room").getString("code")).isEqualTo("invalid_room");

            assertMatchesModel(ann.history(room.name, 3L, 1, "good"), room, 3L, 1, "after");
            assertThat(ann.framesOfType("history")).hasSize(1);
        }
    }

    /** The next {@code before} of a walk: back, forward, anywhere, or the latest page. */
    private Long nextBefore(Random random, PostedRoom room, Long before, JsonObject previous) {
        long end = room.lastSeq + 1;
        return switch (random.nextInt(6)) {
            case 0, 1 -> {
                // Back from the oldest message of the last page, as a scrolling client does.
                List<Long> seqs = previous == null ? List.of() : seqs(previous);
                yield seqs.isEmpty() ? before : seqs.get(0);
            }
            case 2 -> (before == null ? end : Math.min(before, end)) + random.nextInt(pageMax());
            case 3 -> 1 + (long) random.nextInt((int) end + BEYOND_THE_END);
            case 4 -> random.nextBoolean() ? Long.MAX_VALUE : end;
            default -> null;
        };
    }

    /**
     * The page holds the messages the store holds below {@code before} (the end without it), the
     * newest {@code limit} of them (the default without it), oldest first and each exactly as
     * posted; {@code more} says whether older ones are held, {@code firstSeq} which is the oldest.
     */
    private void assertMatchesModel(
            JsonObject page, PostedRoom room, Long before, Integer limit, String description) {
        long first = oldestHeld(room.lastSeq);
        long end = Math.min(before == null ? Long.MAX_VALUE : before, room.lastSeq + 1);
        int size =
                limit == null
                        ? Math.min(CommandDecoder.DEFAULT_PAGE_LIMIT, pageMax())
                        : limit.intValue();
        long start = Math.max(first, end - size);
        List<JsonObject> expected = new ArrayList<>();
        for (long seq = start; seq < end; seq++) {
            expected.add(room.posted.get((int) seq - 1));
        }
        String asked = description + ": before " + before + ", limit " + limit;

        assertThat(page.getString("room")).as(asked).isEqualTo(room.name);
        assertThat(page.getString("epoch")).as(asked).isEqualTo(room.epoch);
        assertThat(messages(page)).as(asked).isEqualTo(expected);
        assertThat(page.getLong("firstSeq")).as(asked).isEqualTo(first);
        assertThat(page.getBoolean("more")).as(asked).isEqualTo(start < end && start > first);
    }

    private static void assertNotJoined(ChatClient client, String room, String description) {
        String id = "not-joined-" + NAMES.incrementAndGet();
        client.sendJson(historyFrame(room, id));

        assertThat(client.awaitError(id).getString("code")).as(description).isEqualTo("not_joined");
        assertThat(client.framesOfType("history"))
                .noneMatch(frame -> id.equals(frame.getString("id")));
    }

    private static JsonObject historyFrame(String room, String id) {
        return new JsonObject().put("type", "history").put("room", room).put("id", id);
    }

    private static List<JsonObject> messages(JsonObject page) {
        List<JsonObject> messages = new ArrayList<>();
        for (int i = 0; i < page.getJsonArray("messages").size(); i++) {
            messages.add(page.getJsonArray("messages").getJsonObject(i));
        }
        return messages;
    }

    private static List<Long> seqs(JsonObject page) {
        return messages(page).stream().map(message -> message.getLong("seq")).toList();
    }

    private static List<Long> range(long from, long to) {
        List<Long> seqs = new ArrayList<>();
        for (long seq = from; seq < to; seq++) {
            seqs.add(seq);
        }
        return seqs;
    }

    private int pageMax() {
        return history.pageMax();
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }

    private static String granting(String user, String room) {
        return Jwt.upn(user)
                .issuer(TestTokens.issuer())
                .claim("rooms", List.of(room))
                .expiresIn(600)
                .sign();
    }

    /** A room name of its own for each test and run. */
    private static String name(String what) {
        return "paging-" + what + "-" + RUN + "-" + NAMES.incrementAndGet();
    }

    /** A room of this test: its epoch and every message posted, by seq from 1. */
    private static final class PostedRoom {
        final String name;
        final String epoch;
        final List<JsonObject> posted;
        final long lastSeq;

        private PostedRoom(String name, String epoch, List<JsonObject> posted) {
            this.name = name;
            this.epoch = epoch;
            this.posted = posted;
            this.lastSeq = posted.size();
        }

        /** Joins a new room and posts {@code count} messages: each as its sender got it. */
        static PostedRoom posted(ChatClient poster, String name, int count) {
            poster.join(name);
            String epoch =
                    poster.awaitFrame(
                                    frame ->
                                            "joined".equals(frame.getString("type"))
                                                    && name.equals(frame.getString("room")))
                            .getString("epoch");
            for (int i = 1; i <= count; i++) {
                poster.send(name, "message " + i + " of " + name, name + "-" + i);
            }
            if (count > 0) {
                poster.awaitMessage(name + "-" + count);
            }
            List<JsonObject> posted = poster.messagesIn(name);
            assertThat(posted)
                    .extracting(frame -> frame.getLong("seq"))
                    .isEqualTo(range(1, count + 1));
            return new PostedRoom(name, epoch, posted);
        }
    }
}
