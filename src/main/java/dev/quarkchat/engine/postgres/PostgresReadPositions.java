package dev.quarkchat.engine.postgres;

import dev.quarkchat.engine.ReadPositions;
import dev.quarkchat.engine.StreamPosition;
import dev.quarkchat.metrics.StoreOperation;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Read positions kept in PostgreSQL with the durable store ({@code chat_read_position}, in the
 * migrations), beside the messages they point into: they outlive every restart, and go with their
 * room when retention forgets it.
 */
public final class PostgresReadPositions implements ReadPositions {

    private static final String POSITION =
            "SELECT r.epoch, p.seq FROM chat_read_position p JOIN chat_room r ON r.room = p.room"
                    + " WHERE p.room = $1 AND p.user_name = $2";

    /**
     * Only forward, and only within the room's epoch: a room the store does not hold (nothing was
     * ever posted there) keeps no position.
     */
    private static final String ADVANCE =
            "INSERT INTO chat_read_position (room, user_name, seq)"
                    + " SELECT r.room, $2, $4 FROM chat_room r WHERE r.room = $1 AND r.epoch = $3"
                    + " ON CONFLICT (room, user_name) DO UPDATE SET seq = excluded.seq,"
                    + " read_at = now() WHERE chat_read_position.seq < excluded.seq";

    private final PostgresStore store;

    public PostgresReadPositions(PostgresStore store) {
        this.store = store;
    }

    @Override
    public CompletionStage<Optional<StreamPosition>> position(String room, String user) {
        return store.query(
                StoreOperation.READ_POSITIONS,
                POSITION,
                Tuple.of(room, user),
                rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(
                            new StreamPosition(row.getString("epoch"), row.getLong("seq")));
                });
    }

    @Override
    public CompletionStage<Boolean> advance(String room, String user, StreamPosition position) {
        return store.query(
                StoreOperation.READ_POSITIONS,
                ADVANCE,
                Tuple.of(room, user, position.epoch(), position.seq()),
                rows -> rows.rowCount() == 1);
    }
}
