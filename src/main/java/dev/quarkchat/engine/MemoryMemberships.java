package dev.quarkchat.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The room lists of a single instance: at most {@code perUser} rooms a user, and {@code capacity}
 * rooms in all; past it, the lists of the users seen least recently are forgotten whole.
 */
public final class MemoryMemberships implements Memberships {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final int perUser;
    private final int capacity;

    /** Each user's rooms, joined least recently first; users by when last seen. */
    private final Map<String, LinkedHashMap<String, Membership>> lists =
            new LinkedHashMap<>(16, 0.75f, true);

    private int entries;

    public MemoryMemberships(int perUser, int capacity) {
        this.perUser = perUser;
        this.capacity = capacity;
    }

    @Override
    public synchronized CompletionStage<Boolean> add(String user, Membership membership) {
        LinkedHashMap<String, Membership> rooms =
                lists.computeIfAbsent(user, name -> new LinkedHashMap<>());
        boolean added = rooms.remove(membership.room()) == null;
        rooms.put(membership.room(), membership);
        if (added) {
            entries++;
        }
        for (Iterator<String> oldest = rooms.keySet().iterator(); rooms.size() > perUser; ) {
            oldest.next();
            oldest.remove();
            entries--;
        }
        for (Iterator<Map.Entry<String, LinkedHashMap<String, Membership>>> leastSeen =
                        lists.entrySet().iterator();
                entries > capacity && leastSeen.hasNext(); ) {
            Map.Entry<String, LinkedHashMap<String, Membership>> list = leastSeen.next();
            if (!list.getKey().equals(user)) {
                entries -= list.getValue().size();
                leastSeen.remove();
            }
        }
        return CompletableFuture.completedFuture(added);
    }

    @Override
    public synchronized CompletionStage<Void> remove(String user, String room) {
        LinkedHashMap<String, Membership> rooms = lists.get(user);
        if (rooms != null && rooms.remove(room) != null) {
            entries--;
            if (rooms.isEmpty()) {
                lists.remove(user);
            }
        }
        return DONE;
    }

    @Override
    public synchronized CompletionStage<List<Membership>> list(String user) {
        List<Membership> newestFirst =
                new ArrayList<>(lists.getOrDefault(user, new LinkedHashMap<>()).values());
        Collections.reverse(newestFirst);
        return CompletableFuture.completedFuture(newestFirst);
    }
}
