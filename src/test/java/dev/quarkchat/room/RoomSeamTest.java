package dev.quarkchat.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.engine.HistorySnapshot;
import dev.quarkchat.engine.Members;
import dev.quarkchat.engine.RoomEvent;
import dev.quarkchat.engine.StreamPosition;
import dev.quarkchat.protocol.ServerFrames;

import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The seam alone, without sockets or engines: connections are their ids, frames their text, and
 * each test plays one order in which snapshots and events can reach an instance. Messages are
 * {@code m<seq>} (in another epoch, {@code <epoch>:m<seq>}); {@code joined}, {@code presence} and
 * {@code typing} frames are shown as short descriptions. A connection's user is its id up to a
 * {@code -}: {@code ann-2} is a second connection of ann.
 */
class RoomSeamTest {

    private static final String ROOM = "den";
    private static final String E1 = "e1";

    private final Map<String, List<String>> given = new LinkedHashMap<>();
    private int delivered;
    private RoomSeam<String, String> seam = seam(new MemberListing(10, 10));

    @Test
    void aSnapshotBeforeTheLiveMessagesIsFollowedByThem() {
        join("ann", history(E1, 2, true, "m1", "m2"), members("ann"));
        live(3);

        assertThat(frames("ann")).containsExactly("joined e1 2 recovered [ann]", "m1", "m2", "m3");
    }

    @Test
    void messagesThatArriveBeforeTheSnapshotAreGivenAfterItWithoutThoseItHad() {
        seam.startJoin("ann", Optional.empty());
        seam.on(new RoomEvent.Joined(ROOM, "ann", "ann"));
        live(1);
        live(2);
        live(3);
        seam.completeJoin(
                "ann", new RoomSeam.Snapshot(history(E1, 2, false, "m1", "m2"), members("ann")));
        live(4);

        assertThat(frames("ann"))
                .containsExactly("joined e1 2 fresh [ann]", "m1", "m2", "m3", "m4");
    }

    @Test
    void aSnapshotAheadOfThisInstancesStreamIsNotGivenThoseMessagesAgain() {
        join("bob", history(E1, 2, false), members("bob"));
        join("ann", history(E1, 4, false, "m3", "m4"), members("ann", "bob"));
        live(3);
        live(4);
        live(5);

        assertThat(frames("ann")).containsExactly("joined e1 4 fresh [ann, bob]", "m3", "m4", "m5");
        assertThat(frames("bob"))
                .containsExactly("joined e1 2 fresh [bob]", "presence join ann", "m3", "m4", "m5");
    }

    @Test
    void aGapHoldsMessagesBackUntilTheHistoryFillsIt() {
        join("bob", history(E1, 2, false), members("bob"));
        live(4);
        live(5);
        assertThat(frames("bob")).containsExactly("joined e1 2 fresh [bob]");
        assertThat(seam.needsCatchUp()).isTrue();

        assertThat(seam.startCatchUp()).contains(new StreamPosition(E1, 2));
        live(6);
        seam.caughtUp(
                new RoomSeam.Snapshot(history(E1, 5, true, "m3", "m4", "m5"), members("bob")));
        live(7);

        assertThat(frames("bob"))
                .containsExactly("joined e1 2 fresh [bob]", "m3", "m4", "m5", "m6", "m7");
        assertThat(seam.needsCatchUp()).isFalse();
    }

    @Test
    void aFailedCatchUpKeepsHoldingAndIsTriedAgain() {
        join("bob", history(E1, 1, false), members("bob"));
        live(3);
        assertThat(seam.startCatchUp()).contains(new StreamPosition(E1, 1));
        assertThat(seam.startCatchUp()).as("one catch-up at a time").isEmpty();
        seam.catchUpFailed();
        live(4);
        assertThat(frames("bob")).containsExactly("joined e1 1 fresh [bob]");

        assertThat(seam.startCatchUp()).contains(new StreamPosition(E1, 1));
        seam.caughtUp(new RoomSeam.Snapshot(history(E1, 3, true, "m2", "m3"), members("bob")));

        assertThat(frames("bob")).containsExactly("joined e1 1 fresh [bob]", "m2", "m3", "m4");
    }

    @Test
    void afterAReconnectTheRoomCatchesUpFromItsPositionAndSkipsTheOverlap() {
        join("bob", history(E1, 2, false), members("bob"));
        assertThat(seam.startCatchUp()).contains(new StreamPosition(E1, 2));
        live(3);
        live(4);
        seam.caughtUp(new RoomSeam.Snapshot(history(E1, 3, true, "m3"), members("bob")));

        assertThat(frames("bob")).containsExactly("joined e1 2 fresh [bob]", "m3", "m4");
    }

    @Test
    void anEmptiedEngineStartsANewEpochWithAFreshJoinedAndTheLatestMessages() {
        join("bob", history(E1, 5, false), members("bob"));
        seam.startCatchUp();
        seam.caughtUp(new RoomSeam.Snapshot(history("e2", 1, false, "e2:m1"), members("bob")));
        seam.on(new RoomEvent.Message(ROOM, "e2", 2, "e2:m2"));

        assertThat(frames("bob"))
                .containsExactly(
                        "joined e1 5 fresh [bob]", "joined e2 1 fresh [bob]", "e2:m1", "e2:m2");
    }

    @Test
    void aLiveMessageInANewEpochStartsOverWithoutACatchUp() {
        join("bob", history(E1, 5, false), members("bob"));
        seam.on(new RoomEvent.Message(ROOM, "e2", 1, "e2:m1"));

        assertThat(frames("bob"))
                .containsExactly("joined e1 5 fresh [bob]", "joined e2 0 fresh [bob]", "e2:m1");
        assertThat(seam.needsCatchUp()).isFalse();
    }

    @Test
    void aResendsAnswerWaitsForTheOriginal() {
        join("ann", history(E1, 2, false), members("ann"));
        seam.acknowledge("ann", E1, 3, "again m3");
        assertThat(frames("ann")).containsExactly("joined e1 2 fresh [ann]");

        live(3);
        seam.acknowledge("ann", E1, 2, "again m2");
        seam.acknowledge("ann", "e0", 9, "again e0:m9");

        assertThat(frames("ann"))
                .containsExactly(
                        "joined e1 2 fresh [ann]", "m3", "again m3", "again m2", "again e0:m9");
    }

    @Test
    void aResendsAnswerIsDroppedWhenItsConnectionLeaves() {
        join("ann", history(E1, 2, false), members("ann"));
        seam.acknowledge("ann", E1, 3, "again m3");
        assertThat(seam.leave("ann")).isTrue();
        live(3);

        assertThat(frames("ann")).containsExactly("joined e1 2 fresh [ann]");
        assertThat(seam.isEmpty()).isTrue();
    }

    @Test
    void aJoinerArrivingDuringACatchUpIsFinishedAfterIt() {
        join("bob", history(E1, 2, false), members("bob"));
        live(4);
        seam.startCatchUp();
        seam.startJoin("ann", Optional.of("j1"));
        seam.on(new RoomEvent.Joined(ROOM, "ann", "ann"));
        live(5);
        seam.completeJoin(
                "ann",
                new RoomSeam.Snapshot(history(E1, 5, false, "m4", "m5"), members("ann", "bob")));
        assertThat(frames("ann")).as("it waits for the room to catch up").isEmpty();

        seam.caughtUp(
                new RoomSeam.Snapshot(
                        history(E1, 5, true, "m3", "m4", "m5"), members("ann", "bob")));
        live(6);

        assertThat(frames("bob"))
                .containsExactly(
                        "joined e1 2 fresh [bob]", "presence join ann", "m3", "m4", "m5", "m6");
        assertThat(frames("ann"))
                .containsExactly("joined e1 5 fresh [ann, bob] j1", "m4", "m5", "m6");
    }

    @Test
    void aJoinerGetsOnlyThePresenceEventsAfterItsOwnJoinEvent() {
        join("bob", history(E1, 0, false), members("bob"));
        seam.startJoin("ann", Optional.empty());
        seam.on(new RoomEvent.Joined(ROOM, "cat-1", "cat"));
        seam.on(new RoomEvent.Joined(ROOM, "ann", "ann"));
        seam.on(new RoomEvent.Joined(ROOM, "dan-1", "dan"));
        seam.on(new RoomEvent.Left(ROOM, "cat"));
        seam.completeJoin(
                "ann", new RoomSeam.Snapshot(history(E1, 0, false), members("ann", "bob", "cat")));

        assertThat(frames("ann"))
                .containsExactly(
                        "joined e1 0 fresh [ann, bob, cat]",
                        "presence join dan",
                        "presence leave cat");
        assertThat(frames("bob"))
                .containsExactly(
                        "joined e1 0 fresh [bob]",
                        "presence join cat",
                        "presence join ann",
                        "presence join dan",
                        "presence leave cat");
        assertThat(seam.everyone()).containsExactly("bob", "ann", "dan");
    }

    @Test
    void aSecondConnectionOfAUserIsNotAnnounced() {
        join("bob", history(E1, 0, false), members("bob"));
        seam.startJoin("bob-2", Optional.empty());
        seam.on(new RoomEvent.Joined(ROOM, "bob-2", "bob"));
        seam.completeJoin("bob-2", new RoomSeam.Snapshot(history(E1, 0, false), members("bob")));

        assertThat(frames("bob")).containsExactly("joined e1 0 fresh [bob]");
        assertThat(seam.connectionCount()).isEqualTo(2);
    }

    @Test
    void joiningAgainIsAnsweredAtOnceAndChangesNothing() {
        join("ann", history(E1, 3, false), members("ann"));

        assertThat(seam.startJoin("ann", Optional.of("again")))
                .isEqualTo(RoomSeam.JoinStart.ANSWERED);
        assertThat(frames("ann"))
                .containsExactly("joined e1 3 fresh [ann]", "joined e1 3 fresh [ann] again");
        assertThat(seam.connectionCount()).isEqualTo(1);
    }

    @Test
    void aJoinerThatLeftBeforeItsSnapshotGetsNothing() {
        seam.startJoin("ann", Optional.empty());
        assertThat(seam.leave("ann")).isTrue();
        assertThat(seam.isEmpty()).isTrue();
        seam.completeJoin("ann", new RoomSeam.Snapshot(history(E1, 0, false), members("ann")));

        assertThat(frames("ann")).isEmpty();
        assertThat(seam.leave("ann")).isFalse();
    }

    @Test
    void crowdedRoomsAnnounceNoPresence() {
        seam = seam(new MemberListing(2, 1));
        join("ann", history(E1, 0, false), members("ann"));
        seam.on(new RoomEvent.Joined(ROOM, "bob-1", "bob"));
        seam.on(new RoomEvent.Joined(ROOM, "cat-1", "cat"));
        seam.on(new RoomEvent.Left(ROOM, "cat"));
        seam.on(new RoomEvent.Left(ROOM, "bob"));

        assertThat(frames("ann"))
                .containsExactly(
                        "joined e1 0 fresh [ann]", "presence join bob", "presence leave bob");
        assertThat(seam.startJoin("ann", Optional.empty())).isEqualTo(RoomSeam.JoinStart.ANSWERED);
        assertThat(frames("ann")).last().isEqualTo("joined e1 0 fresh [ann]");
    }

    @Test
    void typingReachesTheOtherMembersButNotTheTypistsOwnConnections() {
        join("ann", history(E1, 0, false), members("ann"));
        join("bob", history(E1, 0, false), members("ann", "bob"));
        join("ann-2", history(E1, 0, false), members("ann", "bob"));
        seam.startJoin("cat", Optional.empty());
        seam.on(new RoomEvent.Joined(ROOM, "cat", "cat"));

        seam.on(new RoomEvent.Typing(ROOM, "ann"));
        seam.completeJoin("cat", new RoomSeam.Snapshot(history(E1, 0, false), members("cat")));

        assertThat(frames("bob")).last().isEqualTo("typing ann");
        assertThat(frames("ann")).doesNotContain("typing ann");
        assertThat(frames("ann-2")).doesNotContain("typing ann");
        // Ephemeral: a connection still joining is not given it later.
        assertThat(frames("cat")).containsExactly("joined e1 0 fresh [cat]");
    }

    @Test
    void aReadPositionReachesTheReadersOtherConnectionsJoinersIncluded() {
        join("ann", history(E1, 0, false), members("ann"));
        join("bob", history(E1, 0, false), members("ann", "bob"));
        seam.startJoin("ann-2", Optional.empty());

        join("ann-3", history(E1, 0, false), members("ann", "bob"));

        seam.on(new RoomEvent.Read(ROOM, "ann", "ann", 4));
        seam.completeJoin("ann-2", new RoomSeam.Snapshot(history(E1, 0, false), members("ann")));

        assertThat(frames("ann")).as("it moved the position").doesNotContain("read 4");
        assertThat(frames("ann-3")).last().isEqualTo("read 4");
        assertThat(frames("ann-2")).containsExactly("joined e1 0 fresh [ann]", "read 4");
        assertThat(frames("bob")).doesNotContain("read 4");
    }

    @Test
    void aReadPositionMissesTheReadersConnectionsThatLeft() {
        join("ann", history(E1, 0, false), members("ann"));
        join("ann-2", history(E1, 0, false), members("ann"));
        join("ann-3", history(E1, 0, false), members("ann"));
        seam.leave("ann-2");
        seam.on(new RoomEvent.Read(ROOM, "ann", "ann", 4));

        seam.leave("ann");
        seam.leave("ann-3");
        join("ann-4", history(E1, 4, false), members("ann"));
        seam.on(new RoomEvent.Read(ROOM, "ann-5", "ann", 5));

        assertThat(frames("ann-2")).doesNotContain("read 4");
        assertThat(frames("ann-3")).last().isEqualTo("read 4");
        assertThat(frames("ann-4")).last().isEqualTo("read 5");
    }

    @Test
    void aReadPositionGoesNoFurtherThanWhatTheRoomGaveOut() {
        assertThat(seam.readPosition(3)).as("before the first snapshot").isEmpty();
        join("ann", history(E1, 2, false), members("ann"));
        live(3);

        assertThat(seam.readPosition(2)).contains(new StreamPosition(E1, 2));
        assertThat(seam.readPosition(99)).contains(new StreamPosition(E1, 3));
    }

    @Test
    void aJoinSaysWhereItsUserStoppedReading() {
        join(
                "ann",
                new RoomSeam.Snapshot(history(E1, 9, false), members("ann"))
                        .withReading(new ServerFrames.Reading(6, 2, 1)));

        JsonObject joined = new JsonObject(given.get("ann").get(0));
        assertThat(joined.getLong("readSeq")).isEqualTo(6);
        assertThat(joined.getLong("unread")).isEqualTo(2);
        assertThat(joined.getLong("mentions")).isEqualTo(1);
    }

    @Test
    void typingIsToldNeitherInCrowdedRoomsNorWhileCatchingUp() {
        seam = seam(new MemberListing(2, 10));
        join("ann", history(E1, 0, false), members("ann", "bob"));
        seam.on(new RoomEvent.Typing(ROOM, "bob"));
        assertThat(frames("ann")).last().isEqualTo("typing bob");

        seam.startCatchUp();
        seam.on(new RoomEvent.Typing(ROOM, "bob"));
        seam.caughtUp(new RoomSeam.Snapshot(history(E1, 0, true), members("ann", "bob")));
        seam.on(new RoomEvent.Joined(ROOM, "cat-1", "cat"));
        seam.on(new RoomEvent.Typing(ROOM, "bob"));

        assertThat(seam.announcesPresence()).isFalse();
        assertThat(frames("ann")).containsExactly("joined e1 0 fresh [ann, bob]", "typing bob");
    }

    @Test
    void afterACatchUpTheEnginesMembersReplaceThoseThisInstanceKnew() {
        join("ann", history(E1, 0, false), members("ann", "bob"));
        seam.startCatchUp();
        seam.caughtUp(new RoomSeam.Snapshot(history(E1, 0, true), members("ann", "cat")));

        assertThat(frames("ann"))
                .containsExactly(
                        "joined e1 0 fresh [ann, bob]", "presence leave bob", "presence join cat");
        assertThat(seam.everyone()).containsExactly("ann", "cat");
    }

    @Test
    void eachMessageIsEncodedOnceAndCountedForEveryMember() {
        List<String> encoded = new ArrayList<>();
        RoomSeam<String, String> counting =
                new RoomSeam<>(
                        ROOM,
                        new MemberListing(10, 10),
                        new Recorder() {
                            @Override
                            public String encode(String frame) {
                                encoded.add(frame);
                                return frame;
                            }
                        });
        seam = counting;
        join("ann", history(E1, 0, false), members("ann"));
        join("bob", history(E1, 0, false), members("ann", "bob"));
        encoded.clear();
        delivered = 0;
        live(1);

        assertThat(encoded).containsExactly("m1");
        assertThat(delivered).isEqualTo(2);
    }

    private RoomSeam<String, String> seam(MemberListing listing) {
        return new RoomSeam<>(ROOM, listing, new Recorder());
    }

    /** Records what each connection is given. */
    private class Recorder implements RoomSeam.Connections<String, String> {
        @Override
        public String idOf(String connection) {
            return connection;
        }

        @Override
        public String userOf(String connection) {
            return connection.replaceFirst("-.*", "");
        }

        @Override
        public String encode(String frame) {
            return frame;
        }

        @Override
        public void send(String connection, String frame) {
            given.computeIfAbsent(connection, id -> new ArrayList<>()).add(frame);
        }

        @Override
        public void messageDelivered(int connections) {
            delivered += connections;
        }
    }

    /**
     * A whole join: its own join event comes by, then its snapshot. The connection id is the user
     * name.
     */
    private void join(String connection, HistorySnapshot history, Members members) {
        join(connection, new RoomSeam.Snapshot(history, members));
    }

    private void join(String connection, RoomSeam.Snapshot snapshot) {
        assertThat(seam.startJoin(connection, Optional.empty()))
                .isEqualTo(RoomSeam.JoinStart.WAITING);
        seam.on(new RoomEvent.Joined(ROOM, connection, connection));
        seam.completeJoin(connection, snapshot);
    }

    private void live(long seq) {
        seam.on(new RoomEvent.Message(ROOM, E1, seq, "m" + seq));
    }

    private static HistorySnapshot history(
            String epoch, long seq, boolean recovered, String... frames) {
        return new HistorySnapshot(epoch, seq, List.of(frames), recovered);
    }

    private static Members members(String... names) {
        return new Members(List.of(names), names.length);
    }

    /**
     * What the connection was given, each {@code joined} and {@code presence} frame described
     * briefly.
     */
    private List<String> frames(String connection) {
        return given.getOrDefault(connection, List.of()).stream()
                .map(RoomSeamTest::describe)
                .toList();
    }

    private static String describe(String frame) {
        if (!frame.startsWith("{")) {
            return frame;
        }
        JsonObject json = new JsonObject(frame);
        if ("presence".equals(json.getString("type"))) {
            return "presence " + json.getString("event") + " " + json.getString("user");
        }
        if ("typing".equals(json.getString("type"))) {
            return "typing " + json.getString("user");
        }
        if ("read".equals(json.getString("type"))) {
            return "read " + json.getLong("seq");
        }
        String described =
                "joined "
                        + json.getString("epoch")
                        + " "
                        + json.getLong("seq")
                        + " "
                        + (json.getBoolean("recovered") ? "recovered" : "fresh")
                        + " "
                        + json.getJsonArray("members").getList();
        return json.containsKey("id") ? described + " " + json.getString("id") : described;
    }
}
