package dev.quarkchat.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many of something each user has (connections, on the instance or in a room): a user is in the
 * map exactly while its count is above zero. Safe to use from several threads.
 */
public final class CountsByUser {

    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    /** Counts one more for the user, and returns the user's count, this one included. */
    public int increment(String user) {
        return counts.merge(user, 1, Integer::sum);
    }

    /**
     * Counts one less for the user, and returns what is left: 0 once none is, and then the user is
     * forgotten.
     */
    public int decrement(String user) {
        Integer left =
                counts.computeIfPresent(user, (name, count) -> count == 1 ? null : count - 1);
        return left == null ? 0 : left;
    }

    /** The user's count; 0 if it has none. */
    public int count(String user) {
        return counts.getOrDefault(user, 0);
    }

    /** The users with a count, in no particular order. */
    public List<String> users() {
        return new ArrayList<>(counts.keySet());
    }

    /** How many users have a count. */
    public int size() {
        return counts.size();
    }
}
