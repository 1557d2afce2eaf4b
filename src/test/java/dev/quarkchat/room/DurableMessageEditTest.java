package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistory;
import dev.quarkchat.testing.PostgresServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** {@link MessageEditTest}, with messages kept in PostgreSQL, whose rows are read directly. */
@QuarkusTest
@TestProfile(PostgresHistory.class)
class DurableMessageEditTest extends MessageEditTest {

    @Override
    protected List<String> stored(String room) {
        return rowsOf(room);
    }

    /** Every row of the room's messages and events, all its columns as text. */
    static List<String> rowsOf(String room) {
        try (Connection connection =
                        PostgresServer.shared().connect(PostgresHistory.Database.name());
                PreparedStatement select =
                        connection.prepareStatement(
                                "SELECT m::text FROM chat_message m WHERE room = ? ORDER BY seq")) {
            select.setString(1, room);
            List<String> rows = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getString(1));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
