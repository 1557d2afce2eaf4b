package dev.quarkchat.api;

import static dev.quarkchat.testing.ApiRequests.given;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

/**
 * The OpenAPI document at {@code /q/openapi} describes the whole server API: every endpoint, each
 * secured by the bearer JWT scheme, with the schemas of its bodies and of its problems.
 */
@QuarkusTest
class OpenApiDocumentTest {

    /** Every endpoint, by path and method. */
    private static final Map<String, Set<String>> ENDPOINTS =
            Map.of(
                    "/api/v1/rooms", Set.of("get"),
                    "/api/v1/rooms/{room}", Set.of("get"),
                    "/api/v1/rooms/{room}/messages", Set.of("get", "post"),
                    "/api/v1/rooms/{room}/messages/{seq}", Set.of("delete"),
                    "/api/v1/rooms/{room}/members/{user}", Set.of("delete"),
                    "/api/v1/users/{user}/disconnect", Set.of("post"),
                    "/api/v1/bans", Set.of("get"),
                    "/api/v1/bans/{user}", Set.of("put", "delete"));

    private static JsonObject document() {
        return new JsonObject(
                given().queryParam("format", "json")
                        .get("/q/openapi")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString());
    }

    @Test
    void everyEndpointIsDescribedAndSecuredByTheBearerScheme() {
        JsonObject document = document();
        JsonObject paths = document.getJsonObject("paths");
        JsonObject scheme =
                document.getJsonObject("components")
                        .getJsonObject("securitySchemes")
                        .getJsonObject("serviceToken");
        assertThat(scheme.getString("type")).isEqualTo("http");
        assertThat(scheme.getString("scheme")).isEqualTo("bearer");
        assertThat(scheme.getString("bearerFormat")).isEqualTo("JWT");

        ENDPOINTS.forEach(
                (path, methods) -> {
                    assertThat(paths.containsKey(path)).as(path).isTrue();
                    for (String method : methods) {
                        JsonObject operation = paths.getJsonObject(path).getJsonObject(method);
                        assertThat(operation).as(method + " " + path).isNotNull();
                        assertThat(operation.getJsonArray("security").encode())
                                .as("security of " + method + " " + path)
                                .contains("serviceToken");
                        JsonObject responses = operation.getJsonObject("responses");
                        assertThat(responses.fieldNames())
                                .contains("400", "401", "403", "429", "503");
                        for (String status : responses.fieldNames()) {
                            if (status.startsWith("4") || status.startsWith("5")) {
                                assertThat(responses.getJsonObject(status).encode())
                                        .as(status + " of " + method + " " + path)
                                        .contains(ProblemType.MEDIA_TYPE, "Problem");
                            }
                        }
                    }
                });
        assertThat(paths.fieldNames())
                .filteredOn(path -> path.startsWith("/api/"))
                .containsExactlyInAnyOrderElementsOf(ENDPOINTS.keySet());
    }

    @Test
    void theBodiesHaveTheirSchemas() {
        JsonObject document = document();
        JsonObject schemas = document.getJsonObject("components").getJsonObject("schemas");
        assertThat(schemas.fieldNames())
                .contains(
                        "PublishRequest",
                        "Published",
                        "RoomList",
                        "RoomSummary",
                        "RoomDetails",
                        "MessagePage",
                        "Message",
                        "Problem",
                        "BanRequest",
                        "Ban",
                        "BanList",
                        "Lifted");
        JsonObject publish = schemas.getJsonObject("PublishRequest");
        assertThat(publish.getJsonArray("required").encode())
                .contains("\"text\"", "\"idempotencyKey\"");
        assertThat(
                        publish.getJsonObject("properties")
                                .getJsonObject("idempotencyKey")
                                .getInteger("maxLength"))
                .isEqualTo(64);
        JsonObject post =
                document.getJsonObject("paths")
                        .getJsonObject("/api/v1/rooms/{room}/messages")
                        .getJsonObject("post");
        assertThat(post.getJsonObject("requestBody").encode()).contains("PublishRequest");
        assertThat(post.getJsonObject("responses").getJsonObject("201").encode())
                .contains("Published");
    }
}
