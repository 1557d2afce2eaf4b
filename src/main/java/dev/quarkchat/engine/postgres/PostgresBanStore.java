package dev.quarkchat.engine.postgres;

import dev.quarkchat.engine.Ban;
import dev.quarkchat.engine.BanStore;
import dev.quarkchat.metrics.StoreOperation;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Bans kept in PostgreSQL with the durable store ({@code chat_ban}, in the migrations), beside the
 * messages: they outlive every restart, of the instances, Redis or the database.
 */
public final class PostgresBanStore implements BanStore {

    private static final String COLUMNS = "user_name, room, reason, banned_by, banned_at, until";

    /** A ban replaces the user's ban of the same scope; the empty room stands for every room. */
    private static final String PUT =
            "INSERT INTO chat_ban ("
                    + COLUMNS
                    + ") VALUES ($1, $2, $3, $4, $5, $6)"
                    + " ON CONFLICT (user_name, (coalesce(room, ''))) DO UPDATE SET"
                    + " reason = excluded.reason, banned_by = excluded.banned_by,"
                    + " banned_at = excluded.banned_at, until = excluded.until";

    /** The user's ban of room {@code $2}, or every ban of the user when it is null. */
    private static final String LIFT =
            "DELETE FROM chat_ban WHERE user_name = $1 AND ($2::text IS NULL OR room = $2)"
                    + " RETURNING "
                    + COLUMNS;

    /**
     * Bans that apply at {@code $1}; those that ended are deleted in the same statement (which
     * reads the rows as they were before it).
     */
    private static final String ACTIVE =
            "WITH ended AS (DELETE FROM chat_ban WHERE until <= $1)"
                    + " SELECT "
                    + COLUMNS
                    + " FROM chat_ban WHERE until IS NULL OR until > $1";

    private final PostgresStore store;

    public PostgresBanStore(PostgresStore store) {
        this.store = store;
    }

    @Override
    public void start() {
        store.start();
    }

    @Override
    public CompletionStage<Void> put(Ban ban) {
        Tuple arguments =
                Tuple.tuple()
                        .addString(ban.user())
                        .addString(ban.room().orElse(null))
                        .addString(ban.reason())
                        .addString(ban.by())
                        .addOffsetDateTime(utc(ban.at()))
                        .addOffsetDateTime(ban.until().map(PostgresBanStore::utc).orElse(null));
        return store.query(StoreOperation.BANS, PUT, arguments, rows -> null);
    }

    @Override
    public CompletionStage<List<Ban>> lift(String user, Optional<String> room, Instant now) {
        return store.query(
                        StoreOperation.BANS,
                        LIFT,
                        Tuple.of(user, room.orElse(null)),
                        PostgresBanStore::bans)
                .thenApply(lifted -> lifted.stream().filter(ban -> ban.appliesAt(now)).toList());
    }

    @Override
    public CompletionStage<List<Ban>> active(Instant now) {
        return store.query(StoreOperation.BANS, ACTIVE, Tuple.of(utc(now)), PostgresBanStore::bans);
    }

    private static List<Ban> bans(RowSet<Row> rows) {
        List<Ban> bans = new ArrayList<>(rows.size());
        for (Row row : rows) {
            bans.add(
                    new Ban(
                            row.getString("user_name"),
                            Optional.ofNullable(row.getString("room")),
                            Optional.ofNullable(row.getOffsetDateTime("until"))
                                    .map(OffsetDateTime::toInstant),
                            row.getString("reason"),
                            row.getString("banned_by"),
                            row.getOffsetDateTime("banned_at").toInstant()));
        }
        return bans;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
