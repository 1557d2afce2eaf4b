package dev.quarkchat.api;

import static dev.quarkchat.testing.ApiRequests.given;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.util.Locale;

/**
 * The server API's metrics move with its answers, labelled by the endpoint's template and the
 * status, whoever answered (a resource, authentication, the body limits, routing); every endpoint
 * of the OpenAPI document has its label.
 */
@QuarkusTest
class ApiMetricsTest {

    private static final String ROOMS = "GET /api/v1/rooms";
    private static final String ROOM = "GET /api/v1/rooms/{room}";
    private static final String PUBLISH = "POST /api/v1/rooms/{room}/messages";

    private final Metrics metrics = Metrics.ofTestedService();

    @Test
    void answersAreCountedByEndpointAndStatusAndTimed() {
        String admin = TestTokens.admin("metered-ops");
        double listed = metrics.value(requests(ROOMS, "200"));
        double timed = metrics.value(durations(ROOMS));
        double unauthorized = metrics.value(requests(ROOMS, "401"));
        double forbidden = metrics.value(requests(ROOMS, "403"));
        double unknownRoom = metrics.value(requests(ROOM, "404"));
        double tooLarge = metrics.value(requests(PUBLISH, "413"));
        double unknownPath = metrics.value(requests("other", "404"));

        given().auth().oauth2(admin).get("/api/v1/rooms").then().statusCode(200);
        given().get("/api/v1/rooms").then().statusCode(401);
        given().auth()
                .oauth2(TestTokens.valid("metered-user"))
                .get("/api/v1/rooms")
                .then()
                .statusCode(403);
        given().auth().oauth2(admin).get("/api/v1/rooms/nobody-here").then().statusCode(404);
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body("{\"text\":\"" + "x".repeat(1 << 20) + "\",\"idempotencyKey\":\"big\"}")
                .post("/api/v1/rooms/metered/messages")
                .then()
                .statusCode(413);
        given().auth().oauth2(admin).get("/api/v1/no-such-thing").then().statusCode(404);

        assertThat(metrics.value(requests(ROOMS, "200"))).isEqualTo(listed + 1);
        assertThat(metrics.value(durations(ROOMS))).isEqualTo(timed + 3);
        assertThat(metrics.value(requests(ROOMS, "401"))).isEqualTo(unauthorized + 1);
        assertThat(metrics.value(requests(ROOMS, "403"))).isEqualTo(forbidden + 1);
        assertThat(metrics.value(requests(ROOM, "404"))).isEqualTo(unknownRoom + 1);
        assertThat(metrics.value(requests(PUBLISH, "413"))).isEqualTo(tooLarge + 1);
        assertThat(metrics.value(requests("other", "404"))).isEqualTo(unknownPath + 1);
    }

    @Test
    void everySeriesExistsFromStartWithBoundedLabels() {
        String scrape = metrics.scrape();
        for (ApiEndpoint endpoint : ApiEndpoint.values()) {
            assertThat(scrape)
                    .contains(requests(endpoint.label(), "200") + " ")
                    .contains(requests(endpoint.label(), "429") + " ")
                    .contains(requests(endpoint.label(), "503") + " ")
                    .contains(durations(endpoint.label()) + " ");
        }
        assertThat(scrape).doesNotContain("nobody-here").doesNotContain("no-such-thing");
    }

    @Test
    void everyEndpointOfTheOpenApiDocumentHasItsLabel() {
        JsonObject paths =
                new JsonObject(
                                given().queryParam("format", "json")
                                        .get("/q/openapi")
                                        .then()
                                        .statusCode(200)
                                        .extract()
                                        .asString())
                        .getJsonObject("paths");
        int endpoints = 0;
        for (String path : paths.fieldNames()) {
            if (!ApiPaths.isApi(path)) {
                continue;
            }
            for (String method : paths.getJsonObject(path).fieldNames()) {
                String asked = path.replaceAll("\\{[^}]+}", "x");
                ApiEndpoint endpoint = ApiEndpoint.of(method.toUpperCase(Locale.ROOT), asked);
                assertThat(endpoint.label())
                        .as(method + " " + path)
                        .isEqualTo(method.toUpperCase(Locale.ROOT) + " " + path);
                endpoints++;
            }
        }
        assertThat(endpoints).isPositive();
    }

    @Test
    void pathsAreMatchedToTemplatesSegmentBySegment() {
        assertThat(ApiEndpoint.of("DELETE", "/api/v1/rooms/general/messages/5"))
                .isEqualTo(ApiEndpoint.DELETE_MESSAGE);
        assertThat(ApiEndpoint.of("DELETE", "/api/v1/rooms/general/members/mallory"))
                .isEqualTo(ApiEndpoint.KICK);
        assertThat(ApiEndpoint.of("POST", "/api/v1/users/mallory/disconnect"))
                .isEqualTo(ApiEndpoint.DISCONNECT);
        assertThat(ApiEndpoint.of("PUT", "/api/v1/bans/mallory")).isEqualTo(ApiEndpoint.BAN);
        assertThat(ApiEndpoint.of("DELETE", "/api/v1/bans/mallory")).isEqualTo(ApiEndpoint.LIFT);
        assertThat(ApiEndpoint.of("GET", "/api/v1/bans")).isEqualTo(ApiEndpoint.BANS);
        assertThat(ApiEndpoint.of("DELETE", "/api/v1/rooms")).isEqualTo(ApiEndpoint.OTHER);
        assertThat(ApiEndpoint.of("GET", "/api/v1/rooms//messages")).isEqualTo(ApiEndpoint.OTHER);
        assertThat(ApiEndpoint.of("GET", "/api/v1/rooms/general/extra/x"))
                .isEqualTo(ApiEndpoint.OTHER);
        assertThat(ApiEndpoint.of("GET", "/api/v1")).isEqualTo(ApiEndpoint.OTHER);
        assertThat(ApiEndpoint.of("GET", "/api/v10/rooms")).isEqualTo(ApiEndpoint.OTHER);
    }

    private static String requests(String endpoint, String status) {
        return "chat_api_requests_total{endpoint=\"" + endpoint + "\",status=\"" + status + "\"}";
    }

    private static String durations(String endpoint) {
        return "chat_api_request_duration_seconds_count{endpoint=\"" + endpoint + "\"}";
    }
}
