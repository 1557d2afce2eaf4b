package dev.quarkchat.api;

import dev.quarkchat.auth.TokenClaims;
import dev.quarkchat.moderation.Moderation;

import io.smallrye.mutiny.Uni;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Optional;

/** What a moderator does to a user wherever they are: disconnect every connection of theirs. */
@Path(ApiPaths.ROOT + "/users")
@RolesAllowed(TokenClaims.ADMIN_GROUP)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "moderation")
public class UsersResource {

    private final Moderation moderation;
    private final ApiCaller caller;

    UsersResource(Moderation moderation, ApiCaller caller) {
        this.moderation = moderation;
        this.caller = caller;
    }

    @POST
    @Path("/{user}/disconnect")
    @Operation(
            summary = "Disconnect every connection of a user, on every instance",
            description =
                    "Each closes with code 4000 and the reason \"disconnected by a moderator\"."
                            + " The user may connect again at once: to keep them out, ban them.")
    @APIResponse(responseCode = "204", description = "Disconnected")
    public Uni<Void> disconnect(
            @PathParam("user") String user,
            @Parameter(description = "Why, for the audit log; at most 500 characters")
                    @QueryParam("reason")
                    String reason) {
        String by = caller.requireName();
        return ModerationAnswers.done(
                () -> moderation.disconnect(by, user, Optional.ofNullable(reason)));
    }
}
