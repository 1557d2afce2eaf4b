package dev.quarkchat.testing;

import static io.restassured.RestAssured.given;

import org.awaitility.Awaitility;

import java.net.URI;

/** Waiting for a service's readiness probe to give the status a test expects. */
public final class Readiness {

    private Readiness() {}

    /**
     * Waits until the service at {@code base} answers {@code /q/health/ready} with {@code status}.
     */
    public static void await(URI base, int status) {
        Awaitility.await()
                .atMost(ChatClient.TIMEOUT)
                .until(
                        () ->
                                given().baseUri(base.toString()).get("/q/health/ready").statusCode()
                                        == status);
    }
}
