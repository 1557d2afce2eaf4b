package dev.quarkchat.engine.postgres;

import dev.quarkchat.engine.Memberships;
import dev.quarkchat.metrics.StoreOperation;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Room lists kept in PostgreSQL with the durable store ({@code chat_membership}, in the
 * migrations): they outlive every restart.
 */
public final class PostgresMemberships implements Memberships {

    /**
     * Puts the room on top and, in the same statement, deletes what falls past the user's limit
     * (the deletion sees the list as it was, so it may hold one more until the next add).
     */
    private static final String ADD =
            """
            WITH added AS (
                INSERT INTO chat_membership (user_name, room, peer) VALUES ($1, $2, $3)
                ON CONFLICT (user_name, room) DO UPDATE
                SET joined_at = now(), peer = coalesce(excluded.peer, chat_membership.peer)
                RETURNING xmax = 0 AS added),
            dropped AS (
                DELETE FROM chat_membership WHERE user_name = $1 AND room IN (
                    SELECT room FROM chat_membership WHERE user_name = $1 AND room <> $2
                    ORDER BY joined_at DESC OFFSET $4 - 1))
            SELECT added FROM added
            """;

    private static final String REMOVE =
            "DELETE FROM chat_membership WHERE user_name = $1 AND room = $2";

    private static final String LIST =
            "SELECT room, peer FROM chat_membership WHERE user_name = $1"
                    + " ORDER BY joined_at DESC LIMIT $2";

    private final PostgresStore store;
    private final int perUser;

    public PostgresMemberships(PostgresStore store, int perUser) {
        this.store = store;
        this.perUser = perUser;
    }

    @Override
    public CompletionStage<Boolean> add(String user, Membership membership) {
        return store.query(
                StoreOperation.MEMBERSHIPS,
                ADD,
                Tuple.of(user, membership.room(), membership.peer().orElse(null), perUser),
                rows -> rows.iterator().next().getBoolean("added"));
    }

    @Override
    public CompletionStage<Void> remove(String user, String room) {
        return store.query(StoreOperation.MEMBERSHIPS, REMOVE, Tuple.of(user, room), rows -> null);
    }

    @Override
    public CompletionStage<List<Membership>> list(String user) {
        return store.query(
                StoreOperation.MEMBERSHIPS,
                LIST,
                Tuple.of(user, perUser),
                rows -> {
                    List<Membership> listed = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        listed.add(
                                new Membership(
                                        row.getString("room"),
                                        Optional.ofNullable(row.getString("peer"))));
                    }
                    return listed;
                });
    }
}
