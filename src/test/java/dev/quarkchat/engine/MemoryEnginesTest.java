package dev.quarkchat.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.protocol.ServerFrames;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The memory engines: everything completes within the call, in order, and a room's sequence lives
 * only while it has a subscriber.
 */
class MemoryEnginesTest {

    private static final String ROOM = "den";
    private static final Instant TS = Instant.parse("2024-05-01T10:00:00Z");

    private final IdempotencyKeys sentIds =
            new IdempotencyKeys(new Settings(Duration.ofMinutes(10), 100, 1000), null);
    private final MemoryBroker broker = new MemoryBroker(new MemoryHistoryStore(3), sentIds);
    private final MemoryPresence presence = new MemoryPresence(broker::announce);
    private final List<RoomEvent> events = new ArrayList<>();

    @Test
    void postsGetGapFreeSeqsAndReachTheSubscriberBeforeTheAnswer() {
        broker.subscribe(ROOM, events::add);

        assertThat(done(broker.publish(post("one", Optional.empty()))))
                .extracting(appended -> ((Appended.Posted) appended).seq())
                .isEqualTo(1L);
        assertThat(events).hasSize(1);
        assertThat(done(broker.publish(post("two", Optional.empty()))))
                .extracting(appended -> ((Appended.Posted) appended).seq())
                .isEqualTo(2L);

        assertThat(events)
                .extracting(event -> ((RoomEvent.Message) event).seq())
                .containsExactly(1L, 2L);
        RoomEvent.Message first = (RoomEvent.Message) events.get(0);
        assertThat(first.frame()).contains("\"seq\":1").contains("\"text\":\"one\"");
    }

    @Test
    void historyIsReadFromAPositionInTheRoomsEpoch() {
        broker.subscribe(ROOM, events::add);
        for (int n = 1; n <= 5; n++) {
            done(broker.publish(post("m" + n, Optional.empty())));
        }
        String epoch = ((RoomEvent.Message) events.get(0)).epoch();

        HistorySnapshot recovered =
                done(broker.history(ROOM, Optional.of(new StreamPosition(epoch, 3)), 2));
        assertThat(recovered.recovered()).isTrue();
        assertThat(recovered.seq()).isEqualTo(5);
        assertThat(recovered.frames())
                .hasSize(2)
                .allMatch(frame -> frame.contains("\"seq\":4") || frame.contains("\"seq\":5"));

        HistorySnapshot tooOld =
                done(broker.history(ROOM, Optional.of(new StreamPosition(epoch, 1)), 1));
        assertThat(tooOld.recovered()).isFalse();
        assertThat(tooOld.frames()).singleElement().asString().contains("\"seq\":5");

        HistorySnapshot otherEpoch =
                done(broker.history(ROOM, Optional.of(new StreamPosition("old", 5)), 9));
        assertThat(otherEpoch.recovered()).isFalse();
        assertThat(otherEpoch.frames()).as("the whole window").hasSize(3);
    }

    @Test
    void aRoomWhoseSubscriptionClosedComesBackInANewEpochWithoutHistory() {
        Broker.Subscription first = broker.subscribe(ROOM, events::add);
        done(broker.publish(post("before", Optional.empty())));
        String firstEpoch = done(broker.history(ROOM, Optional.empty(), 10)).epoch();
        first.close();

        broker.subscribe(ROOM, events::add);
        HistorySnapshot again = done(broker.history(ROOM, Optional.empty(), 10));

        assertThat(again.epoch()).isNotEqualTo(firstEpoch);
        assertThat(again.seq()).isZero();
        assertThat(again.frames()).isEmpty();
    }

    @Test
    void aLateCloseOfAReplacedSubscriptionLeavesTheNewOneAlone() {
        Broker.Subscription old = broker.subscribe(ROOM, event -> {});
        broker.subscribe(ROOM, events::add);
        old.close();

        done(broker.publish(post("still served", Optional.empty())));
        assertThat(events).hasSize(1);
        assertThat(done(broker.history(ROOM, Optional.empty(), 10)).frames()).hasSize(1);
    }

    @Test
    void aResentIdIsAnsweredWithTheEarlierPostAndNotPublished() {
        broker.subscribe(ROOM, events::add);
        Post original = post("hello", Optional.of("c-1"));
        assertThat(done(broker.publish(original)))
                .extracting(appended -> ((Appended.Posted) appended).seq())
                .isEqualTo(1L);

        Appended again = done(broker.publish(post("hello", Optional.of("c-1"))));

        assertThat(again)
                .isInstanceOfSatisfying(
                        Appended.AlreadyPosted.class,
                        earlier -> {
                            assertThat(earlier.seq()).isEqualTo(1);
                            assertThat(earlier.ts()).isEqualTo(TS);
                            assertThat(earlier.text()).isEqualTo(TextDigest.of("hello"));
                        });
        assertThat(events).hasSize(1);
    }

    @Test
    void presenceListsUsersInArrivalOrderAndAnnouncesThroughTheBroker() {
        broker.subscribe(ROOM, events::add);

        Members first = done(presence.join(ROOM, "bob", "bob-1", Presence.ALL_NAMES));
        done(presence.join(ROOM, "ann", "ann-1", Presence.ALL_NAMES));
        Members listed = done(presence.join(ROOM, "bob", "bob-2", 1));
        done(presence.leave(ROOM, "bob"));
        done(presence.leave(ROOM, "bob"));

        assertThat(first).isEqualTo(new Members(List.of("bob"), 1));
        assertThat(listed).isEqualTo(new Members(List.of("bob"), 2));
        assertThat(done(presence.members(ROOM, Presence.ALL_NAMES)))
                .isEqualTo(new Members(List.of("ann"), 1));
        assertThat(events)
                .containsExactly(
                        new RoomEvent.Joined(ROOM, "bob-1", "bob"),
                        new RoomEvent.Joined(ROOM, "ann-1", "ann"),
                        new RoomEvent.Joined(ROOM, "bob-2", "bob"),
                        new RoomEvent.Left(ROOM, "bob"));
    }

    @Test
    void aRoomThatEmptiedListsNobody() {
        done(presence.join(ROOM, "ann", "ann-1", Presence.ALL_NAMES));
        done(presence.leave(ROOM, "ann"));

        assertThat(done(presence.members(ROOM, Presence.ALL_NAMES)))
                .isEqualTo(new Members(List.of(), 0));
        assertThat(presence.refreshInterval()).isEmpty();
        assertThat(broker.catchUpInterval()).isEmpty();
    }

    @Test
    void roomsAndMembersArePagedByNameAndARoomIsKnownOnlyWhileSubscribed() {
        for (String room : List.of("delta", "alpha", "charlie", "bravo")) {
            done(presence.join(room, "zoe", room + "-1", Presence.ALL_NAMES));
        }
        done(presence.join("alpha", "bob", "bob-1", Presence.ALL_NAMES));
        done(presence.join("alpha", "ann", "ann-1", Presence.ALL_NAMES));

        assertThat(done(presence.rooms("", 2))).containsExactly("alpha", "bravo");
        assertThat(done(presence.rooms("bravo", 2))).containsExactly("charlie", "delta");
        assertThat(done(presence.rooms("delta", 2))).isEmpty();
        Members firstTwo = done(presence.membersAfter("alpha", "", 2));
        assertThat(firstTwo.names()).containsExactly("ann", "bob");
        assertThat(firstTwo.count()).isEqualTo(3);
        assertThat(done(presence.membersAfter("alpha", "bob", 2)).names()).containsExactly("zoe");

        assertThat(done(broker.position(ROOM))).isEmpty();
        Broker.Subscription subscription = broker.subscribe(ROOM, events::add);
        done(broker.publish(post("one", Optional.empty())));
        assertThat(done(broker.position(ROOM)))
                .hasValueSatisfying(position -> assertThat(position.seq()).isEqualTo(1L));
        subscription.close();
        assertThat(done(broker.position(ROOM))).isEmpty();
        assertThat(broker.publish(post("nobody hears", Optional.empty())))
                .isCompletedExceptionally();
    }

    @Test
    void aUsersConnectionsCountUpToTheLimitEachOnceAndFreeTheirPlaceWhenReleased() {
        MemoryUserConnections connections = new MemoryUserConnections();

        assertThat(done(connections.admit("ann", "c1", 2))).isTrue();
        assertThat(done(connections.admit("ann", "c1", 2))).as("counted once").isTrue();
        assertThat(done(connections.admit("ann", "c2", 2))).isTrue();
        assertThat(done(connections.admit("ann", "c3", 2))).isFalse();
        assertThat(done(connections.admit("bob", "c4", 2))).as("another user").isTrue();

        done(connections.release("ann", "c3"));
        assertThat(done(connections.admit("ann", "c3", 2))).as("c3 never counted").isFalse();
        done(connections.release("ann", "c1"));
        assertThat(done(connections.admit("ann", "c3", 2))).isTrue();
        assertThat(connections.refreshInterval()).isEmpty();
    }

    @Test
    void aTextDigestReadsBackFromItsHexForm() {
        TextDigest digest = TextDigest.of("hello");

        assertThat(digest.hex()).hasSize(32);
        assertThat(TextDigest.ofHex(digest.hex())).isEqualTo(digest);
    }

    @Test
    void anAmendmentRewritesTheMessageAndTakesTheNextSeq() {
        broker.subscribe(ROOM, events::add);
        done(broker.publish(post("draft", Optional.empty())));
        String edited = "{\"type\":\"message\",\"seq\":1,\"text\":\"final\"}";

        Amendment.Outcome outcome =
                done(
                        broker.amend(
                                new Amendment(
                                        ROOM,
                                        1,
                                        stored ->
                                                new Amendment.Rewrite(
                                                        edited,
                                                        ServerFrames.editedAroundAt(
                                                                ROOM, 1, "final", TS),
                                                        false,
                                                        Optional.empty()))));

        assertThat(outcome).isEqualTo(new Amendment.Applied(2));
        RoomEvent.Message event = (RoomEvent.Message) events.get(1);
        assertThat(event.seq()).isEqualTo(2);
        assertThat(event.frame()).startsWith(ServerFrames.editedPrefix(ROOM, 1) + "2,");
        assertThat(done(broker.history(ROOM, Optional.empty(), 10)).frames())
                .containsExactly(edited, event.frame());
    }

    @Test
    void aDeletionErasesTheTextsOfTheMessagesEarlierEdits() {
        broker.subscribe(ROOM, events::add);
        done(broker.publish(post("secret", Optional.empty())));
        done(
                broker.amend(
                        new Amendment(
                                ROOM,
                                1,
                                stored ->
                                        new Amendment.Rewrite(
                                                "{\"edited\":true}",
                                                ServerFrames.editedAroundAt(
                                                        ROOM, 1, "more secret", TS),
                                                false,
                                                Optional.empty()))));
        List<String> seen = new ArrayList<>();

        Amendment.Outcome outcome =
                done(
                        broker.amend(
                                new Amendment(
                                        ROOM,
                                        1,
                                        stored -> {
                                            seen.add(stored);
                                            return new Amendment.Rewrite(
                                                    "{\"deleted\":true}",
                                                    ServerFrames.deletedAroundAt(ROOM, 1),
                                                    true,
                                                    Optional.empty());
                                        })));

        assertThat(outcome).isEqualTo(new Amendment.Applied(3));
        assertThat(seen).containsExactly("{\"edited\":true}");
        assertThat(done(broker.history(ROOM, Optional.empty(), 10)).frames())
                .containsExactly(
                        "{\"deleted\":true}",
                        ServerFrames.deleted(ROOM, 1, 2),
                        ServerFrames.deleted(ROOM, 1, 3));
    }

    @Test
    void aRefusedOrUnknownAmendmentChangesNothing() {
        broker.subscribe(ROOM, events::add);
        done(broker.publish(post("mine", Optional.empty())));

        assertThat(
                        done(
                                broker.amend(
                                        new Amendment(
                                                ROOM,
                                                1,
                                                stored ->
                                                        new Amendment.Refused(
                                                                Amendment.Refusal.NOT_YOURS)))))
                .isEqualTo(new Amendment.NotApplied(Amendment.Refusal.NOT_YOURS));
        assertThat(
                        done(
                                broker.amend(
                                        new Amendment(
                                                ROOM,
                                                7,
                                                stored -> {
                                                    throw new AssertionError("nothing is held");
                                                }))))
                .isEqualTo(new Amendment.NotApplied(Amendment.Refusal.UNKNOWN_MESSAGE));
        assertThat(events).hasSize(1);
        assertThat(done(broker.history(ROOM, Optional.empty(), 10)).seq()).isEqualTo(1);
    }

    @Test
    void unreadCountsHeldMessagesOfOthersThatAreNotDeletedAndTheirMentions() {
        broker.subscribe(ROOM, events::add);
        done(broker.publish(post("mine, @bob", Optional.empty())));
        done(broker.publish(Post.of(ROOM, "bob", "one for @ann", TS, Optional.empty())));
        done(broker.publish(Post.of(ROOM, "bob", "two", TS, Optional.empty())));
        String epoch = ((RoomEvent.Message) events.get(0)).epoch();

        assertThat(done(broker.unread(ROOM, new StreamPosition(epoch, 0), 3, "ann")))
                .isEqualTo(new Unread(2, 1));
        assertThat(done(broker.unread(ROOM, new StreamPosition(epoch, 2), 3, "ann")))
                .isEqualTo(new Unread(1, 0));
        assertThat(done(broker.unread(ROOM, new StreamPosition(epoch, 0), 2, "ann")))
                .isEqualTo(new Unread(1, 1));
        assertThat(done(broker.unread(ROOM, new StreamPosition(epoch, 0), 3, "bob")))
                .isEqualTo(new Unread(1, 1));
        assertThat(done(broker.unread(ROOM, new StreamPosition("gone", 0), 3, "ann")))
                .isEqualTo(Unread.NONE);
        assertThat(done(broker.unread("elsewhere", new StreamPosition(epoch, 0), 3, "ann")))
                .isEqualTo(Unread.NONE);
    }

    @Test
    void readPositionsMoveForwardOrToAnotherEpochAndTheLeastRecentAreForgotten() {
        MemoryReadPositions positions = new MemoryReadPositions(2);

        assertThat(done(positions.advance(ROOM, "ann", new StreamPosition("e1", 5)))).isTrue();
        assertThat(done(positions.advance(ROOM, "ann", new StreamPosition("e1", 3)))).isFalse();
        assertThat(done(positions.advance(ROOM, "ann", new StreamPosition("e1", 5)))).isFalse();
        assertThat(done(positions.position(ROOM, "ann"))).contains(new StreamPosition("e1", 5));
        assertThat(done(positions.advance(ROOM, "ann", new StreamPosition("e2", 1)))).isTrue();
        assertThat(done(positions.position(ROOM, "ann"))).contains(new StreamPosition("e2", 1));

        done(positions.advance(ROOM, "bob", new StreamPosition("e2", 1)));
        done(positions.position(ROOM, "ann")); // ann's is now the more recent
        done(positions.advance("elsewhere", "ann", new StreamPosition("e9", 1)));
        assertThat(done(positions.position(ROOM, "bob"))).isEmpty();
        assertThat(done(positions.position(ROOM, "ann"))).isPresent();
    }

    @Test
    void aUsersListKeepsItsLatestRoomsAndTheLeastSeenUsersGoFirst() {
        MemoryMemberships lists = new MemoryMemberships(2, 3);
        Memberships.Membership den = new Memberships.Membership("den", Optional.empty());
        Memberships.Membership hall = new Memberships.Membership("hall", Optional.empty());
        Memberships.Membership direct = new Memberships.Membership("dm-1", Optional.of("bob"));

        assertThat(done(lists.add("ann", den))).isTrue();
        assertThat(done(lists.add("ann", hall))).isTrue();
        assertThat(done(lists.add("ann", den))).as("again").isFalse();
        assertThat(done(lists.list("ann"))).containsExactly(den, hall);
        assertThat(done(lists.add("ann", direct))).isTrue();
        assertThat(done(lists.list("ann")))
                .as("hall was joined least recently")
                .containsExactly(direct, den);

        done(lists.add("bob", den));
        done(lists.add("cat", den));
        assertThat(done(lists.list("ann"))).as("past 3 in all, the least seen user goes").isEmpty();
        assertThat(done(lists.list("cat"))).containsExactly(den);

        done(lists.add("cat", hall));
        done(lists.remove("cat", "den"));
        assertThat(done(lists.list("cat"))).containsExactly(hall);
        done(lists.remove("cat", "hall"));
        assertThat(done(lists.list("cat"))).isEmpty();
        assertThat(done(lists.list("bob")))
                .as("one room each now: nobody goes")
                .containsExactly(den);
    }

    private static Post post(String text, Optional<String> id) {
        return Post.of(ROOM, "ann", text, TS, id);
    }

    /** The value of a stage the memory engines completed within the call. */
    private static <T> T done(CompletionStage<T> stage) {
        assertThat(stage.toCompletableFuture()).isDone();
        return stage.toCompletableFuture().join();
    }

    private record Settings(Duration window, int maxKeysPerUser, int maxKeys)
            implements IdempotencyConfig {}
}
