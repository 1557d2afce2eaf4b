package dev.quarkchat.api;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import java.util.Map;

/**
 * Adds to every operation of the server API the problems any of them may answer, so that each
 * resource documents only its own: invalid input, no token or a user's, the rate limit, the engines
 * being unreachable. Runs when the OpenAPI document is built ({@code mp.openapi.filter}).
 */
public class CommonProblems implements OASFilter {

    private static final Map<String, String> PROBLEMS =
            Map.of(
                    "400", "Invalid input",
                    "401", "No token, or one that fails verification",
                    "403", "The token lacks the chat-admin group",
                    "429", "Over the caller's rate limit",
                    "503", "The backplane or the store is unreachable");

    @Override
    public void filterOpenAPI(OpenAPI document) {
        if (document.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : document.getPaths().getPathItems().entrySet()) {
            if (ApiPaths.isApi(path.getKey())) {
                path.getValue().getOperations().values().forEach(CommonProblems::addProblems);
            }
        }
    }

    private static void addProblems(Operation operation) {
        PROBLEMS.forEach(
                (status, description) -> {
                    // Kept only where the resource wrote its own; the 401 and 403 that the
                    // generator adds to secured operations have no body.
                    APIResponse own = operation.getResponses().getAPIResponse(status);
                    if (own == null || own.getContent() == null) {
                        operation.getResponses().addAPIResponse(status, problem(description));
                    }
                });
    }

    private static APIResponse problem(String description) {
        return OASFactory.createAPIResponse()
                .description(description)
                .content(
                        OASFactory.createContent()
                                .addMediaType(
                                        ProblemType.MEDIA_TYPE,
                                        OASFactory.createMediaType()
                                                .schema(OASFactory.createSchema().ref("Problem"))));
    }
}
