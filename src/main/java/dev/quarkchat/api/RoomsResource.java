package dev.quarkchat.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarkchat.auth.TokenClaims;
import dev.quarkchat.config.ChatConfig;
import dev.quarkchat.engine.Appended;
import dev.quarkchat.engine.HistoryConfig;
import dev.quarkchat.engine.HistoryPage;
import dev.quarkchat.engine.TextDigest;
import dev.quarkchat.moderation.Moderation;
import dev.quarkchat.protocol.CommandDecoder;
import dev.quarkchat.protocol.RoomName;
import dev.quarkchat.room.RoomDirectory;
import dev.quarkchat.room.RoomRegistry;

import io.smallrye.mutiny.Uni;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rooms of the server API: publish into a room as a service, list the rooms with members, read
 * one room and its history; and, for moderators, kick a user out of a room and delete any message.
 * Every method answers without blocking (the engines' calls complete later), so all of them run on
 * the event loop.
 */
@Path(ApiPaths.ROOT + "/rooms")
@RolesAllowed(TokenClaims.ADMIN_GROUP)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "rooms")
public class RoomsResource {

    /** Set on the answer to a repeated publish: it posted nothing. */
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    /** Most rooms or members in one page. */
    static final int MAX_PAGE = 100;

    private static final String ROOM_RULE =
            "must match " + RoomName.REGEX + " (lower-case letters, digits, _ and -)";

    private final RoomRegistry registry;
    private final RoomDirectory directory;
    private final Moderation moderation;
    private final ApiCaller caller;
    private final ObjectMapper json;
    private final int maxTextLength;
    private final int pageMax;

    RoomsResource(
            RoomRegistry registry,
            RoomDirectory directory,
            Moderation moderation,
            ApiCaller caller,
            ObjectMapper json,
            ChatConfig config,
            HistoryConfig history) {
        this.registry = registry;
        this.directory = directory;
        this.moderation = moderation;
        this.caller = caller;
        this.json = json;
        this.maxTextLength = config.maxTextLength();
        this.pageMax = history.pageMax();
    }

    @POST
    @Path("/{room}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Publish a message into a room as the calling service",
            description =
                    "Delivered to the room's members like any message, marked \"service\": true."
                            + " A repeat of an idempotency key with the same text posts nothing and"
                            + " is answered with the first publish.")
    @APIResponse(
            responseCode = "201",
            description = "Published (or published before, for a repeat)")
    @APIResponse(
            responseCode = "404",
            description = "Without a backplane or a store: nobody is in the room")
    @APIResponse(
            responseCode = "409",
            description = "The idempotency key was used for another text")
    public Uni<RestResponse<ApiMessages.Published>> publish(
            @PathParam("room") @Pattern(regexp = RoomName.REGEX, message = ROOM_RULE) String room,
            @Valid @NotNull(message = "must be a JSON object") ApiMessages.PublishRequest message) {
        String text = message.text();
        if (text.length() > maxTextLength
                && text.codePointCount(0, text.length()) > maxTextLength) {
            throw ProblemException.invalid(
                    "text", "must be at most " + maxTextLength + " characters");
        }
        String from = caller.requireName();
        String key = message.idempotencyKey();
        return Uni.createFrom()
                .completionStage(() -> registry.publish(room, from, text, key))
                .map(
                        appended -> {
                            if (appended instanceof Appended.AlreadyPosted earlier) {
                                if (!earlier.text().equals(TextDigest.of(text))) {
                                    throw new ProblemException(
                                            ProblemType.IDEMPOTENCY_KEY_REUSED,
                                            "this idempotency key was already used for another"
                                                    + " text in this room: publish it with a new"
                                                    + " key");
                                }
                                return created(
                                        new ApiMessages.Published(
                                                room, earlier.seq(), earlier.epoch(), from, key),
                                        true);
                            }
                            Appended.Posted posted = (Appended.Posted) appended;
                            return created(
                                    new ApiMessages.Published(
                                            room, posted.seq(), posted.epoch(), from, key),
                                    false);
                        });
    }

    @GET
    @Operation(
            summary = "List the rooms that have members, by name, with their member counts",
            description =
                    "Paged by name: pass the answer's next as after= for the next page. A page may"
                            + " hold fewer rooms than the limit while more follow.")
    public Uni<ApiMessages.RoomList> rooms(
            @Parameter(description = "Start after this room name")
                    @QueryParam("after")
                    @Pattern(regexp = "^$|" + RoomName.REGEX, message = ROOM_RULE)
                    String after,
            @Parameter(
                            description = "Most rooms in the page, 1 to " + MAX_PAGE,
                            schema = @Schema(type = SchemaType.INTEGER, defaultValue = "50"))
                    @QueryParam("limit")
                    String limit) {
        int most = (int) QueryParams.integer("limit", limit, 50, 1, MAX_PAGE);
        return Uni.createFrom()
                .completionStage(() -> directory.rooms(after == null ? "" : after, most))
                .map(
                        page ->
                                new ApiMessages.RoomList(
                                        page.rooms().stream()
                                                .map(
                                                        room ->
                                                                new ApiMessages.RoomSummary(
                                                                        room.room(),
                                                                        room.memberCount()))
                                                .toList(),
                                        page.next().orElse(null)));
    }

    @GET
    @Path("/{room}")
    @Operation(
            summary = "One room: its member count, a page of its members, its epoch and last seq")
    @APIResponse(responseCode = "404", description = "The room has neither members nor messages")
    public Uni<ApiMessages.RoomDetails> room(
            @PathParam("room") @Pattern(regexp = RoomName.REGEX, message = ROOM_RULE) String room,
            @Parameter(description = "Start the members after this name")
                    @QueryParam("membersAfter")
                    String membersAfter,
            @Parameter(
                            description = "Most members in the page, 1 to " + MAX_PAGE,
                            schema = @Schema(type = SchemaType.INTEGER, defaultValue = "100"))
                    @QueryParam("memberLimit")
                    String memberLimit) {
        int most = (int) QueryParams.integer("memberLimit", memberLimit, MAX_PAGE, 1, MAX_PAGE);
        return Uni.createFrom()
                .completionStage(
                        () -> directory.room(room, membersAfter == null ? "" : membersAfter, most))
                .map(
                        found -> {
                            RoomDirectory.Details details = found.orElseThrow(() -> unknown(room));
                            List<String> members = details.members().names();
                            return new ApiMessages.RoomDetails(
                                    room,
                                    details.members().count(),
                                    members,
                                    members.size() < most ? null : members.get(members.size() - 1),
                                    details.position()
                                            .map(position -> position.epoch())
                                            .orElse(null),
                                    details.position().map(position -> position.seq()).orElse(0L));
                        });
    }

    @GET
    @Path("/{room}/messages")
    @Operation(
            summary = "A page of a room's history, backwards from before=",
            description =
                    "The messages with a seq below before (the latest without it), oldest first:"
                            + " the same store and limits as a member's history frame. Pass the"
                            + " answer's next as before= for the older page.")
    @APIResponse(responseCode = "404", description = "The engines hold nothing of the room")
    public Uni<ApiMessages.MessagePage> history(
            @PathParam("room") @Pattern(regexp = RoomName.REGEX, message = ROOM_RULE) String room,
            @Parameter(
                            description = "Only messages with a seq below this one",
                            schema = @Schema(type = SchemaType.INTEGER, minimum = "1"))
                    @QueryParam("before")
                    String before,
            @Parameter(
                            description = "Most messages in the page, 1 to chat.history.page-max",
                            schema = @Schema(type = SchemaType.INTEGER, defaultValue = "50"))
                    @QueryParam("limit")
                    String limit) {
        long below = QueryParams.integer("before", before, Long.MAX_VALUE, 1, Long.MAX_VALUE);
        int most =
                (int)
                        QueryParams.integer(
                                "limit",
                                limit,
                                Math.min(CommandDecoder.DEFAULT_PAGE_LIMIT, pageMax),
                                1,
                                pageMax);
        return Uni.createFrom()
                .completionStage(() -> directory.page(room, below, most))
                .map(found -> page(room, found.orElseThrow(() -> unknown(room))));
    }

    @DELETE
    @Path("/{room}/members/{user}")
    @Tag(name = "moderation")
    @Operation(
            summary = "Kick a user out of a room, on every instance",
            description =
                    "Their connections get left with reason kicked, the room's others a presence"
                            + " leave. They may join again: to keep them out, ban them from the"
                            + " room.")
    @APIResponse(responseCode = "204", description = "Kicked")
    public Uni<Void> kick(
            @PathParam("room") @Pattern(regexp = RoomName.REGEX, message = ROOM_RULE) String room,
            @PathParam("user") String user,
            @Parameter(description = "Why, for the audit log; at most 500 characters")
                    @QueryParam("reason")
                    String reason) {
        String by = caller.requireName();
        return ModerationAnswers.done(
                () -> moderation.kick(by, room, user, Optional.ofNullable(reason)));
    }

    @DELETE
    @Path("/{room}/messages/{seq}")
    @Tag(name = "moderation")
    @Operation(
            summary = "Delete any message of a room",
            description =
                    "Every member, on every instance, gets deleted; the history keeps a tombstone"
                            + " without the text. Deleting a deleted message again changes nothing"
                            + " and answers 204 as well.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(
            responseCode = "404",
            description = "The room's history holds no message at this seq")
    public Uni<Void> deleteMessage(
            @PathParam("room") @Pattern(regexp = RoomName.REGEX, message = ROOM_RULE) String room,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1")) @PathParam("seq")
                    String seq) {
        String by = caller.requireName();
        long position = QueryParams.integer("seq", seq, 0, 1, Long.MAX_VALUE);
        return ModerationAnswers.done(() -> moderation.deleteMessage(by, room, position));
    }

    private ApiMessages.MessagePage page(String room, HistoryPage page) {
        List<ApiMessages.Message> messages = new ArrayList<>(page.frames().size());
        for (String frame : page.frames()) {
            try {
                messages.add(json.readValue(frame, ApiMessages.Message.class));
            } catch (JsonProcessingException impossible) {
                // The server wrote every frame it keeps; one it cannot read back is a fault here.
                throw new IllegalStateException("a stored frame of " + room + " is unreadable");
            }
        }
        Long next = page.more() && !messages.isEmpty() ? messages.get(0).seq() : null;
        return new ApiMessages.MessagePage(
                room, page.epoch(), messages, page.firstSeq(), page.more(), next);
    }

    private static RestResponse<ApiMessages.Published> created(
            ApiMessages.Published published, boolean replayed) {
        RestResponse.ResponseBuilder<ApiMessages.Published> answer =
                RestResponse.ResponseBuilder.<ApiMessages.Published>created(
                                UriBuilder.fromPath(ApiPaths.ROOT)
                                        .path("rooms/{room}/messages/{seq}")
                                        .build(published.room(), published.seq()))
                        .entity(published);
        if (replayed) {
            answer.header(IDEMPOTENT_REPLAYED, "true");
        }
        return answer.build();
    }

    private static ProblemException unknown(String room) {
        return new ProblemException(
                ProblemType.ROOM_NOT_FOUND, "no instance holds members or messages of " + room);
    }
}
