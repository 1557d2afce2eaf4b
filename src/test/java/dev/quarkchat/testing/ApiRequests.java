package dev.quarkchat.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * RestAssured requests for the server API's tests, and for tests that poll readiness, each on a
 * connection the server closes after its answer: RestAssured leaves its connections open, and idle
 * keep-alive connections of a whole suite would count against {@code
 * chat.handshake.max-pending-per-address} of the tests' address.
 */
public final class ApiRequests {

    private ApiRequests() {}

    public static RequestSpecification given() {
        return RestAssured.given().header("Connection", "close");
    }
}
