package dev.quarkchat.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

/** {@code chat.default-room} set to an empty value: connections start in no room at all. */
@QuarkusTest
@TestProfile(DefaultRoomDisabledTest.NoDefaultRoom.class)
class DefaultRoomDisabledTest {

    public static class NoDefaultRoom implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chat.default-room", "");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject RoomRegistry rooms;

    @Test
    void aNewConnectionJoinsNoRoom() {
        try (ChatClient client = ChatClient.connect(base, TestTokens.valid("loner"))) {
            client.send("lobby", "anyone?", "nobody-1");

            assertThat(client.awaitError("nobody-1").getString("code")).isEqualTo("not_joined");
            assertThat(client.framesOfType("joined")).isEmpty();
            assertThat(rooms.size()).isZero();
        }
    }
}
