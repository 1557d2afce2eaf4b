package dev.quarkchat.api;

/**
 * The endpoints of the server API, as its metrics name them: the {@code endpoint} label is the
 * method and the path template ({@code POST /api/v1/rooms/{room}/messages}), never the path itself,
 * so that room and user names never become labels. A request that is none of them is {@link
 * #OTHER}.
 */
enum ApiEndpoint {
    PUBLISH("POST", "/rooms/{room}/messages"),
    ROOMS("GET", "/rooms"),
    ROOM("GET", "/rooms/{room}"),
    HISTORY("GET", "/rooms/{room}/messages"),
    DELETE_MESSAGE("DELETE", "/rooms/{room}/messages/{seq}"),
    KICK("DELETE", "/rooms/{room}/members/{user}"),
    DISCONNECT("POST", "/users/{user}/disconnect"),
    BANS("GET", "/bans"),
    BAN("PUT", "/bans/{user}"),
    LIFT("DELETE", "/bans/{user}"),
    /** An unknown path, or a method the path does not take. */
    OTHER(null, null);

    private final String method;
    private final String template;
    private final String label;

    ApiEndpoint(String method, String template) {
        this.method = method;
        this.template = template;
        this.label = template == null ? "other" : method + " " + ApiPaths.ROOT + template;
    }

    /** The value of the {@code endpoint} label. */
    String label() {
        return label;
    }

    /** The endpoint a request with this method and (normalized) path under the root asks. */
    static ApiEndpoint of(String method, String path) {
        if (!ApiPaths.isApi(path) || path.length() <= ApiPaths.ROOT.length() + 1) {
            return OTHER;
        }
        String[] asked = path.substring(ApiPaths.ROOT.length() + 1).split("/", -1);
        for (ApiEndpoint endpoint : values()) {
            if (endpoint != OTHER && endpoint.method.equals(method) && endpoint.matches(asked)) {
                return endpoint;
            }
        }
        return OTHER;
    }

    private boolean matches(String[] asked) {
        String[] segments = template.substring(1).split("/", -1);
        if (asked.length != segments.length) {
            return false;
        }
        for (int i = 0; i < asked.length; i++) {
            String segment = segments[i];
            boolean variable = segment.startsWith("{");
            if (asked[i].isEmpty() || (!variable && !segment.equals(asked[i]))) {
                return false;
            }
        }
        return true;
    }
}
