package dev.quarkchat.auth;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.quarkchat.testing.ChatClient;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

/**
 * {@code GET /dev/token}: dev and test builds hand out tokens (ProductionBuildIT checks prod has
 * none).
 */
@QuarkusTest
class DevTokenRouteTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void theTokenOpensTheChatAsThatUser() {
        String token =
                given().queryParam("user", "dev.user_1")
                        .when()
                        .get("/dev/token")
                        .then()
                        .statusCode(200)
                        .header("Cache-Control", "no-store")
                        .contentType(containsString("text/plain"))
                        .extract()
                        .asString();

        try (ChatClient client = ChatClient.connect(base, token)) {
            assertThat(client.framesOfType("welcome").get(0).getString("user"))
                    .isEqualTo("dev.user_1");
        }
    }

    @Test
    void theTokenCanGrantPrivateRooms() {
        String token =
                given().queryParam("user", "ops")
                        .queryParam("rooms", "private-ops, private-board")
                        .when()
                        .get("/dev/token")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();

        try (ChatClient client = ChatClient.connect(base, token)) {
            client.join("private-ops").join("private-board");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "zo\u00EB",
                "\u6E21\u8FBA",
                "O'Brien",
                "Ana Mar\u00EDa",
                "semi;colon",
                "<script>"
            })
    void everyNameTheChatAcceptsGetsAToken(String user) {
        String token =
                given().queryParam("user", user)
                        .when()
                        .get("/dev/token")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();

        try (ChatClient client = ChatClient.connect(base, token)) {
            assertThat(client.framesOfType("welcome").get(0).getString("user")).isEqualTo(user);
        }
    }

    @Test
    void aDecomposedNameGetsATokenForItsComposedForm() {
        String token =
                given().queryParam("user", "zoe\u0308")
                        .when()
                        .get("/dev/token")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();

        try (ChatClient client = ChatClient.connect(base, token)) {
            assertThat(client.framesOfType("welcome").get(0).getString("user"))
                    .isEqualTo("zo\u00EB");
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "' leading space'                                                    | starts or ends with a space",
                "'with a NUL\0'                                                      | control character",
                "'\u202Eright-to-left override'                                      | invisible formatting character",
                "'zero\u200Bwidth'                                                   | invisible formatting character",
                "a-name-that-is-far-too-long-to-be-a-user-name-in-this-chat-service-! | longer than 64 characters"
            })
    void aNameTheChatRefusesGets400AndTheReason(String user, String reason) {
        given().queryParam("user", user)
                .when()
                .get("/dev/token")
                .then()
                .statusCode(400)
                .body(containsString("This user name is not accepted: it"))
                .body(containsString(reason));
    }

    @Test
    void aMissingUserNameGets400() {
        given().when().get("/dev/token").then().statusCode(400);
    }
}
