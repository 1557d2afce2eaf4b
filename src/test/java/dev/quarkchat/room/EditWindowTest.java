package dev.quarkchat.room;

import static dev.quarkchat.room.MessageEditTest.awaitEvent;
import static dev.quarkchat.room.MessageEditTest.delete;
import static dev.quarkchat.room.MessageEditTest.edit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

/** {@code chat.edit-window}: past it, the author can no longer change a message; an admin can. */
@QuarkusTest
@TestProfile(EditWindowTest.ClosedAtOnce.class)
class EditWindowTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void pastTheWindowTheAuthorIsRefusedAndAnAdminStillDeletes() {
        try (ChatClient ann = ChatClient.connect(base, TestTokens.valid("ann")).join("slow");
                ChatClient mod = ChatClient.connect(base, TestTokens.admin("mod")).join("slow")) {
            ann.send("slow", "said in haste", "h-1");
            long seq = mod.awaitMessage("h-1").getLong("seq");

            edit(ann, "slow", seq, "said with care", "late-edit");
            assertThat(ann.awaitError("late-edit").getString("code"))
                    .isEqualTo("edit_window_closed");
            delete(ann, "slow", seq, "late-delete");
            assertThat(ann.awaitError("late-delete").getString("code"))
                    .isEqualTo("edit_window_closed");

            delete(mod, "slow", seq, "mod-delete");
            assertThat(awaitEvent(ann, "deleted", seq).getString("room")).isEqualTo("slow");
        }
    }

    /** A window of nothing: every message is past it once posted. */
    public static class ClosedAtOnce implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chat.edit-window", "0s");
        }
    }
}
