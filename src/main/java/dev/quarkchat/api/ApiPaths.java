package dev.quarkchat.api;

/** Where the server API lives; a new version is a new root beside this one. */
final class ApiPaths {

    /** The root of every resource of this version. */
    static final String ROOT = "/api/v1";

    private ApiPaths() {}

    static boolean isApi(String path) {
        return path != null && (path.equals(ROOT) || path.startsWith(ROOT + "/"));
    }
}
