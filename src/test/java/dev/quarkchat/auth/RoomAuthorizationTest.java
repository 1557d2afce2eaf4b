package dev.quarkchat.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * Private rooms ({@code private-...}) only for tokens that grant them; public rooms for everyone.
 */
@QuarkusTest
class RoomAuthorizationTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aTokenWithoutTheGrantIsForbiddenAPrivateRoomAndHearsNothingFromIt() {
        try (ChatClient insider =
                        connect(token("insider", List.of("private-ops"), Set.of()))
                                .join("private-ops");
                ChatClient outsider = connect(TestTokens.valid("outsider"))) {
            outsider.sendJson(
                    new JsonObject()
                            .put("type", "join")
                            .put("room", "private-ops")
                            .put("id", "p-1"));
            assertThat(outsider.awaitError("p-1").getString("code")).isEqualTo("forbidden");

            outsider.send("private-ops", "let me in", "p-2");
            assertThat(outsider.awaitError("p-2").getString("code")).isEqualTo("not_joined");

            insider.send("private-ops", "insiders only", "p-3");
            insider.awaitMessage("p-3");
            insider.send("lobby", "barrier", "p-4");
            outsider.awaitMessage("p-4");
            assertThat(outsider.frames()).noneMatch(frame -> "p-3".equals(frame.getString("id")));
        }
    }

    @Test
    void theRoomsClaimAndARoomGroupEachGrantAPrivateRoom() {
        try (ChatClient byClaim =
                        connect(
                                token(
                                        "by-claim",
                                        List.of("private-board", "private-other"),
                                        Set.of()));
                ChatClient byGroup =
                        connect(
                                token(
                                        "by-group",
                                        List.of(),
                                        Set.of("staff", "room:private-board")))) {
            byClaim.join("private-board");
            byGroup.join("private-board");
            byGroup.send("private-board", "granted by group", "g-1");
            assertThat(byClaim.awaitMessage("g-1").getString("from")).isEqualTo("by-group");
        }
    }

    @Test
    void aGrantForOnePrivateRoomOpensNoOther() {
        try (ChatClient client =
                connect(token("narrow", List.of("private-a"), Set.of("room:private-b")))) {
            client.sendJson(
                    new JsonObject().put("type", "join").put("room", "private-c").put("id", "n-1"));
            assertThat(client.awaitError("n-1").getString("code")).isEqualTo("forbidden");
        }
    }

    @Test
    void publicRoomsAreOpenToEveryone() {
        try (ChatClient client = connect(TestTokens.valid("anyone"))) {
            client.join("privateer").join("public-private");
        }
    }

    private ChatClient connect(String token) {
        return ChatClient.connect(base, token);
    }

    private static String token(String user, List<String> rooms, Set<String> groups) {
        return Jwt.upn(user)
                .issuer(TestTokens.issuer())
                .claim("rooms", rooms)
                .groups(groups)
                .expiresIn(600)
                .sign();
    }
}
