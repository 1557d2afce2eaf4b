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

    /**
     * Each user's rooms, joined least recently first; users by when last seen. A list is replaced,
     * never changed: most users are in a few rooms, and a list of one costs a fraction of a map.
     */
    private final Map<String, List<Membership>> lists = new LinkedHashMap<>(16, 0.75f, true);

    private int entries;

    public MemoryMemberships(int perUser, int capacity) {
        this.perUser = perUser;
        this.capacity = capacity;
    }

    @Override
    public synchronized CompletionStage<Boolean> add(String user, Membership membership) {
        List<Membership> before = lists.getOrDefault(user, List.of());
        List<Membership> after = new ArrayList<>(before.size() + 1);
        for (Membership listed : before) {
            if (!listed.room().equals(membership.room())) {
                after.add(listed);
            }
        }
        boolean added = after.size() == before.size();
        after.add(membership);
        List<Membership> kept = after.subList(Math.max(0, after.size() - perUser), after.size());
        entries += kept.size() - before.size();
        lists.put(user, List.copyOf(kept));
        for (Iterator<Map.Entry<String, List<Membership>>> leastSeen = lists.entrySet().iterator();
                entries > capacity && leastSeen.hasNext(); ) {
            Map.Entry<String, List<Membership>> list = leastSeen.next();
            if (!list.getKey().equals(user)) {
                entries -= list.getValue().size();
                leastSeen.remove();
            }
        }
        return CompletableFuture.completedFuture(added);
    }

    @Override
    public synchronized CompletionStage<Void> remove(String user, String room) {
        List<Membership> before = lists.get(user);
        if (before != null) {
            List<Membership> after =
                    before.stream().filter(listed -> !listed.room().equals(room)).toList();
            entries -= before.size() - after.size();
            if (after.isEmpty()) {
                lists.remove(user);
            } else if (after.size() < before.size()) {
                lists.put(user, after);
            }
        }
        return DONE;
    }

    @Override
    public synchronized CompletionStage<List<Membership>> list(String user) {
        List<Membership> newestFirst = new ArrayList<>(lists.getOrDefault(user, List.of()));
        Collections.reverse(newestFirst);
        return CompletableFuture.completedFuture(newestFirst);
    }
}
