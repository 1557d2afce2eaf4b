package dev.quarkchat.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import dev.quarkchat.engine.Ban;

import io.quarkus.runtime.annotations.RegisterForReflection;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** The bodies of the server API, each a validated record. */
public final class ApiMessages {

    /**
     * Valid Unicode: no lone surrogate, which could not be sent on as UTF-8. A regular expression
     * reads a well-formed pair as one code point, outside the surrogate category.
     */
    static final String VALID_UNICODE = "^\\P{Cs}*$";

    private ApiMessages() {}

    /** A message to publish into a room. */
    @RegisterForReflection
    @Schema(name = "PublishRequest")
    public record PublishRequest(
            @Schema(
                            description = "The text, at most chat.max-text-length characters",
                            example = "Maintenance at 22:00 UTC")
                    @NotNull
                    @NotBlank(message = "must be a non-blank string")
                    @Pattern(regexp = VALID_UNICODE, message = "must be valid Unicode")
                    String text,
            @Schema(
                            description =
                                    "Names this publish: a repeat with the same key and text posts"
                                            + " nothing and is answered with the first",
                            example = "deploy-2026-11-30-1")
                    @NotNull
                    @Size(min = 1, max = 64)
                    @Pattern(regexp = VALID_UNICODE, message = "must be valid Unicode")
                    String idempotencyKey) {}

    /** Where a published message went. */
    @RegisterForReflection
    @Schema(name = "Published")
    public record Published(
            String room, long seq, String epoch, String from, String idempotencyKey) {}

    /** A room and how many users are in it. */
    @RegisterForReflection
    @Schema(name = "RoomSummary")
    public record RoomSummary(String room, int memberCount) {}

    /** A page of rooms with members, by name. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "RoomList")
    public record RoomList(
            List<RoomSummary> rooms,
            @Schema(description = "Pass as after= for the next page; absent on the last")
                    String next) {}

    /** One room: its members (a page of them, by name) and where its sequence stands. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "RoomDetails")
    public record RoomDetails(
            String room,
            int memberCount,
            List<String> members,
            @Schema(description = "Pass as membersAfter= for the next page of members")
                    String membersNext,
            @Schema(description = "The room's epoch; absent while it holds no message")
                    String epoch,
            @Schema(description = "The seq of its latest message, 0 for none") long seq) {}

    /** A message of a room's history, as members get it. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Message")
    public record Message(
            String room,
            long seq,
            String from,
            String text,
            String ts,
            @Schema(description = "The sender's id or idempotency key") String id,
            @Schema(description = "true for a message a backend published") Boolean service) {}

    /** A page of a room's history, oldest first. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "MessagePage")
    public record MessagePage(
            String room,
            String epoch,
            List<Message> messages,
            @Schema(description = "The oldest seq the history still holds") long firstSeq,
            @Schema(description = "Whether older messages are held") boolean more,
            @Schema(description = "Pass as before= for the next (older) page") Long next) {}

    /** A ban to place: from the whole chat or one room, until a time or until lifted. */
    @RegisterForReflection
    @Schema(name = "BanRequest")
    public record BanRequest(
            @Schema(
                            description =
                                    "Why, for the ban list and the audit log (never shown to the"
                                            + " user); at most 500 characters",
                            example = "spam")
                    @NotNull
                    String reason,
            @Schema(description = "Ban from this room only; absent: from the whole chat")
                    String room,
            @Schema(
                            description =
                                    "When the ban ends, an ISO-8601 instant; absent: until lifted",
                            example = "2026-12-01T10:00:00Z")
                    String until) {}

    /** A ban in force. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Ban")
    public record BanView(
            String user,
            @Schema(description = "The room; absent for a ban from the whole chat") String room,
            @Schema(description = "When it ends; absent: until lifted") String until,
            String reason,
            @Schema(description = "Who placed it") String by,
            @Schema(description = "When it was placed") String at) {

        static BanView of(Ban ban) {
            return new BanView(
                    ban.user(),
                    ban.room().orElse(null),
                    ban.until().map(Instant::toString).orElse(null),
                    ban.reason(),
                    ban.by(),
                    ban.at().toString());
        }
    }

    /** The bans in force. */
    @RegisterForReflection
    @Schema(name = "BanList")
    public record BanList(List<BanView> bans) {}

    /** The bans a lift removed. */
    @RegisterForReflection
    @Schema(name = "Lifted")
    public record Lifted(List<BanView> lifted) {}
}
