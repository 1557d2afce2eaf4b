package dev.quarkchat.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Presence on a single instance ({@code chat.backplane=none}): each room's users in the order they
 * arrived. Joins and leaves are announced through the instance's broker or fan-out before the call
 * returns.
 */
public final class MemoryPresence implements Presence {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Consumer<RoomEvent> announcements;
    private final Map<String, Users> rooms = new ConcurrentHashMap<>();

    /** One room's users; dropped from the map, under its own lock, when the last one leaves. */
    private static final class Users {
        private final Set<String> names = new LinkedHashSet<>();
        private boolean dropped;
    }

    /**
     * @param announcements hands an event to the room's subscriber, in its place among the messages
     */
    public MemoryPresence(Consumer<RoomEvent> announcements) {
        this.announcements = announcements;
    }

    @Override
    public CompletionStage<Members> join(
            String room, String user, String connectionId, int maxNames) {
        while (true) {
            Users users = rooms.computeIfAbsent(room, name -> new Users());
            synchronized (users) {
                if (!users.dropped) {
                    // Under the room's lock: the list and the event are one step, as the contract
                    // asks.
                    users.names.add(user);
                    announcements.accept(new RoomEvent.Joined(room, connectionId, user));
                    return CompletableFuture.completedFuture(list(users.names, maxNames));
                }
            }
        }
    }

    /** One instance: its room's throttle is the only one needed. */
    @Override
    public CompletionStage<Void> typing(String room, String user, Duration interval) {
        announcements.accept(new RoomEvent.Typing(room, user));
        return DONE;
    }

    @Override
    public CompletionStage<Void> read(String room, String user, String connectionId, long seq) {
        announcements.accept(new RoomEvent.Read(room, connectionId, user, seq));
        return DONE;
    }

    @Override
    public CompletionStage<Members> members(String room, int maxNames) {
        Users users = rooms.get(room);
        if (users == null) {
            return CompletableFuture.completedFuture(new Members(List.of(), 0));
        }
        synchronized (users) {
            return CompletableFuture.completedFuture(list(users.names, maxNames));
        }
    }

    @Override
    public CompletionStage<Members> membersAfter(String room, String after, int maxNames) {
        Users users = rooms.get(room);
        if (users == null) {
            return CompletableFuture.completedFuture(new Members(List.of(), 0));
        }
        synchronized (users) {
            TreeSet<String> byName = new TreeSet<>(users.names);
            Set<String> page = after.isEmpty() ? byName : byName.tailSet(after, false);
            return CompletableFuture.completedFuture(
                    new Members(page.stream().limit(maxNames).toList(), users.names.size()));
        }
    }

    @Override
    public CompletionStage<List<String>> rooms(String after, int limit) {
        // The first names after the cursor, without sorting every room: the heap keeps the
        // smallest `limit` seen, its greatest on top.
        PriorityQueue<String> smallest = new PriorityQueue<>(limit, Comparator.reverseOrder());
        for (String room : rooms.keySet()) {
            if (room.compareTo(after) > 0) {
                smallest.add(room);
                if (smallest.size() > limit) {
                    smallest.poll();
                }
            }
        }
        List<String> page = new ArrayList<>(smallest);
        page.sort(Comparator.naturalOrder());
        return CompletableFuture.completedFuture(page);
    }

    @Override
    public CompletionStage<Void> keepListed(Collection<String> rooms) {
        return DONE; // the rooms with members are this instance's own
    }

    @Override
    public CompletionStage<Void> leave(String room, String user) {
        Users users = rooms.get(room);
        if (users == null) {
            return DONE;
        }
        synchronized (users) {
            if (!users.dropped && users.names.remove(user)) {
                announcements.accept(new RoomEvent.Left(room, user));
                if (users.names.isEmpty()) {
                    users.dropped = true;
                    rooms.remove(room, users);
                }
            }
        }
        return DONE;
    }

    @Override
    public CompletionStage<Void> refresh(String room, Collection<String> users) {
        return DONE; // entries live in this process until they are left
    }

    @Override
    public Optional<Duration> refreshInterval() {
        return Optional.empty();
    }

    private static Members list(Set<String> users, int maxNames) {
        int most = maxNames == ALL_NAMES ? users.size() : Math.min(maxNames, users.size());
        List<String> names = new ArrayList<>(most);
        for (String user : users) {
            if (names.size() == most) {
                break;
            }
            names.add(user);
        }
        return new Members(names, users.size());
    }
}
