package dev.quarkchat.api;

import dev.quarkchat.auth.TokenClaims;
import dev.quarkchat.engine.Ban;
import dev.quarkchat.moderation.Moderation;

import io.smallrye.mutiny.Uni;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * Bans: place one (from the chat or from one room, until a time or until lifted), list those in
 * force, lift them. Where they are kept, and how every instance learns of them: {@link Moderation}.
 */
@Path(ApiPaths.ROOT + "/bans")
@RolesAllowed(TokenClaims.ADMIN_GROUP)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "moderation")
public class BansResource {

    private final Moderation moderation;
    private final ApiCaller caller;

    BansResource(Moderation moderation, ApiCaller caller) {
        this.moderation = moderation;
        this.caller = caller;
    }

    @PUT
    @Path("/{user}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Ban a user from the chat or from one room",
            description =
                    "Replaces the user's ban of the same scope. At once, on every instance: a ban"
                            + " from the chat closes the user's connections with code 4003 and"
                            + " refuses their upgrades with 403; a ban from a room takes their"
                            + " connections out of it (left, reason banned) and refuses their"
                            + " joins of it (error banned).")
    @APIResponse(responseCode = "200", description = "The ban, as placed")
    public Uni<ApiMessages.BanView> ban(
            @PathParam("user") String user,
            @Valid @NotNull(message = "must be a JSON object") ApiMessages.BanRequest request) {
        String by = caller.requireName();
        Optional<Instant> until = instant(request.until());
        return Uni.createFrom()
                .completionStage(
                        () ->
                                moderation.ban(
                                        by,
                                        user,
                                        Optional.ofNullable(request.room()),
                                        until,
                                        request.reason()))
                .map(outcome -> ApiMessages.BanView.of(ModerationAnswers.valueOf(outcome)));
    }

    @GET
    @Operation(summary = "Every ban in force, by user")
    public Uni<ApiMessages.BanList> bans() {
        return Uni.createFrom()
                .completionStage(moderation::bans)
                .map(outcome -> new ApiMessages.BanList(views(ModerationAnswers.valueOf(outcome))));
    }

    @DELETE
    @Path("/{user}")
    @Operation(
            summary = "Lift a user's ban from one room, or all of the user's bans",
            description = "On every instance at once; the user may connect and join again.")
    @APIResponse(responseCode = "200", description = "The bans lifted")
    @APIResponse(responseCode = "404", description = "The user has no such ban")
    public Uni<ApiMessages.Lifted> lift(
            @PathParam("user") String user,
            @Parameter(description = "Lift the ban from this room only") @QueryParam("room")
                    String room) {
        String by = caller.requireName();
        return Uni.createFrom()
                .completionStage(() -> moderation.lift(by, user, Optional.ofNullable(room)))
                .map(outcome -> new ApiMessages.Lifted(views(ModerationAnswers.valueOf(outcome))));
    }

    private static List<ApiMessages.BanView> views(List<Ban> bans) {
        return bans.stream().map(ApiMessages.BanView::of).toList();
    }

    private static Optional<Instant> instant(String until) {
        if (until == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(until));
        } catch (DateTimeParseException unreadable) {
            throw ProblemException.invalid(
                    "until", "must be an ISO-8601 instant such as 2026-12-01T10:00:00Z");
        }
    }
}
