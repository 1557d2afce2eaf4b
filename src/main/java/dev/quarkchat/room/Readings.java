package dev.quarkchat.room;

import dev.quarkchat.engine.Broker;
import dev.quarkchat.engine.StreamPosition;
import dev.quarkchat.protocol.ServerFrames;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Where a user stands in reading a room, for a {@code joined} and for its room list. */
final class Readings {

    private Readings() {}

    /**
     * The user's read position in the room's epoch (none of another epoch: 0), and how many
     * messages of others after it the broker holds, up to {@code top}, and how many mention it.
     */
    static CompletionStage<ServerFrames.Reading> at(
            Broker broker,
            String room,
            String user,
            StreamPosition top,
            Optional<StreamPosition> read) {
        long readSeq =
                read.filter(position -> position.epoch().equals(top.epoch()))
                        .map(StreamPosition::seq)
                        .orElse(0L);
        if (readSeq >= top.seq()) {
            return CompletableFuture.completedFuture(new ServerFrames.Reading(readSeq, 0, 0));
        }
        return broker.unread(room, new StreamPosition(top.epoch(), readSeq), top.seq(), user)
                .thenApply(
                        unread ->
                                new ServerFrames.Reading(
                                        readSeq, unread.messages(), unread.mentions()));
    }
}
