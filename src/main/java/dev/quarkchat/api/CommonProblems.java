package dev.quarkchat.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import java.util.Map;

/**
 * Adds to every operation of the server API the problems any of them may answer (invalid input, no
 * token or a user's, the rate limit, the engines being unreachable), so that each resource
 * documents only its own, and gives every error the problem body. Runs once, when the build makes
 * the OpenAPI document.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
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
                    if (operation.getResponses().getAPIResponse(status) == null) {
                        operation.getResponses().addAPIResponse(status, problem(description));
                    }
                });
        // A resource describes its own errors by status and description; every error's body is
        // a problem. The 401 and 403 the generator adds to secured operations come bare too.
        operation
                .getResponses()
                .getAPIResponses()
                .forEach(
                        (status, response) -> {
                            if (status.startsWith("4") || status.startsWith("5")) {
                                response.setContent(problemContent());
                            }
                        });
    }

    private static APIResponse problem(String description) {
        return OASFactory.createAPIResponse().description(description);
    }

    private static Content problemContent() {
        return OASFactory.createContent()
                .addMediaType(
                        ProblemType.MEDIA_TYPE,
                        OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref("Problem")));
    }
}
