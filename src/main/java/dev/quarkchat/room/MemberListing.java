package dev.quarkchat.room;

import dev.quarkchat.config.ChatConfig;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a room tells of its members, bounded so that crowds cost nothing quadratic: presence events
 * only up to {@code chat.presence-max-room-size} users, and at most {@code chat.joined-max-members}
 * names in {@code joined}.
 */
public record MemberListing(int presenceMaxRoomSize, int joinedMaxMembers) {

    static MemberListing of(ChatConfig config) {
        return new MemberListing(config.presenceMaxRoomSize(), config.joinedMaxMembers());
    }

    /**
     * Whether a join or leave is announced in a room of this many users (counting the one who comes
     * or goes).
     */
    boolean announcesPresenceAmong(int users) {
        return users <= presenceMaxRoomSize;
    }

    /**
     * The names {@code joined} lists: the first {@link #joinedMaxMembers()}, in the given order.
     */
    List<String> namesToList(Collection<String> users) {
        List<String> names = new ArrayList<>(Math.min(users.size(), joinedMaxMembers));
        for (String user : users) {
            if (names.size() == joinedMaxMembers) {
                break;
            }
            names.add(user);
        }
        return names;
    }
}
