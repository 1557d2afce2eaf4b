package dev.quarkchat.backplane;

/**
 * The Lua scripts that change a room's state in Redis. Redis runs each one atomically and delivers what it
 * publishes in the order the scripts ran, which is what makes a room's {@code seq} one gap-free sequence
 * across instances and lets a joining instance find the exact seam between its snapshot and the live events.
 * <p>
 * Keys of a room (all with the room name in braces, so that they share a Redis Cluster slot):
 * {@code meta} (hash: epoch, seq), {@code log} (stream of frames, IDs {@code <seq>-0}, capped at the history
 * size), {@code who} (presence entries {@code <user>\0<instance>}, all with score 0, so sorted by user),
 * {@code alive} (the same entries, scored by when they expire) and {@code users} (hash: how many entries
 * each user has, so that a user is counted and announced once however many instances it is on); per user who
 * sent with message ids, {@code ids:<user>} and {@code id-ages:<user>}, which expire a window after the user's
 * last such send.
 */
enum RedisScript {

    /**
     * Gives a message the room's next seq, keeps it in the capped log and publishes it. With a message id, the
     * user's ids in the room are looked up first, in the same step: an id posted in this epoch within the window
     * is not posted again, and what it was posted as is returned instead; else the id is remembered, the
     * user's oldest forgotten past the cap. KEYS: meta, log, and with an id the user's {@code ids} (hash: id to
     * "epoch seq ts digest") and {@code id-ages} (sorted set: id by when it was posted, ms).
     * ARGV: channel, room, room TTL (s), epoch if the room is new, history size, frame before the seq, frame
     * after the seq, id or '', text digest, ts (ms), window (ms), most ids of the user.
     * Returns the seq; for an id already posted, {epoch, seq, ts, digest} of that post.
     */
    APPEND(RedisScript.CLOCK + """
            if redis.call('HSETNX', KEYS[1], 'epoch', ARGV[4]) == 1 then
              redis.call('HSET', KEYS[1], 'seq', 0)
              redis.call('DEL', KEYS[2])
            end
            local epoch = redis.call('HGET', KEYS[1], 'epoch')
            local id = ARGV[8]
            local now
            if id ~= '' then
              now = string.format('%d', now_ms())
              local expired = string.format('%d', tonumber(now) - tonumber(ARGV[11]))
              for _, old in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', expired)) do
                redis.call('HDEL', KEYS[3], old)
              end
              redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', expired)
              local earlier = redis.call('HGET', KEYS[3], id)
              if earlier then
                local posted = {}
                for field in string.gmatch(earlier, '%S+') do
                  posted[#posted + 1] = field
                end
                if posted[1] == epoch then
                  return posted
                end
              end
            end
            local seq = string.format('%d', redis.call('HINCRBY', KEYS[1], 'seq', 1))
            local frame = ARGV[6] .. seq .. ARGV[7]
            if tonumber(ARGV[5]) > 0 then
              redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[5], seq .. '-0', 'f', frame)
              redis.call('EXPIRE', KEYS[2], ARGV[3])
            end
            redis.call('EXPIRE', KEYS[1], ARGV[3])
            redis.call('PUBLISH', ARGV[1], 'M ' .. ARGV[2] .. ' ' .. epoch .. ' ' .. seq .. ' ' .. frame)
            if id ~= '' then
              redis.call('HSET', KEYS[3], id, epoch .. ' ' .. seq .. ' ' .. ARGV[10] .. ' ' .. ARGV[9])
              redis.call('ZADD', KEYS[4], now, id)
              local over = redis.call('ZCARD', KEYS[4]) - tonumber(ARGV[12])
              if over > 0 then
                local oldest = redis.call('ZPOPMIN', KEYS[4], over)
                for i = 1, #oldest, 2 do
                  redis.call('HDEL', KEYS[3], oldest[i])
                end
              end
              redis.call('PEXPIRE', KEYS[3], ARGV[11])
              redis.call('PEXPIRE', KEYS[4], ARGV[11])
            end
            return seq
            """),

    /**
     * Takes a snapshot of the room: epoch, seq, members, and the messages after the reader's position if all
     * are held, else the latest ones. With a connection id it first adds the user's presence entry for this
     * instance and publishes the join event that marks the seam.
     * KEYS: meta, log, who, alive, users. ARGV: channel, room, instance, connection id or '', user,
     * presence TTL (ms), room TTL (s), epoch if the room is new, since or '', client epoch or '', latest count,
     * most member names (0: all). Returns {epoch, seq, recovered (1/0), {member names}, {frames}, member count}.
     */
    SNAPSHOT(RedisScript.PRESENCE_FUNCTIONS + """
            local now = now_ms()
            sweep(KEYS[3], KEYS[4], KEYS[5], ARGV[1], ARGV[2], now)
            if ARGV[4] ~= '' then
              add(KEYS[3], KEYS[4], KEYS[5], ARGV[1], ARGV[2], ARGV[5], ARGV[3], ARGV[4], now + tonumber(ARGV[6]), ARGV[7])
            end
            if redis.call('HSETNX', KEYS[1], 'epoch', ARGV[8]) == 1 then
              redis.call('HSET', KEYS[1], 'seq', 0)
              redis.call('DEL', KEYS[2])
            end
            redis.call('EXPIRE', KEYS[1], ARGV[7])
            local epoch = redis.call('HGET', KEYS[1], 'epoch')
            local seq = tonumber(redis.call('HGET', KEYS[1], 'seq'))
            local entries = {}
            local recovered = 0
            if ARGV[9] ~= '' and ARGV[10] == epoch and tonumber(ARGV[9]) <= seq then
              local since = tonumber(ARGV[9])
              entries = redis.call('XRANGE', KEYS[2], string.format('%d', since + 1), '+')
              if since == seq or (#entries > 0 and tonumber(string.match(entries[1][1], '^%d+')) == since + 1) then
                recovered = 1
              end
            end
            if recovered == 0 then
              entries = {}
              local count = tonumber(ARGV[11])
              if count > 0 then
                local latest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', count)
                for i = #latest, 1, -1 do
                  entries[#entries + 1] = latest[i]
                end
              end
            end
            local frames = {}
            for i, entry in ipairs(entries) do
              frames[i] = entry[2][2]
            end
            -- Entries are sorted by user; a user on several instances has several, so read a few more.
            local most = tonumber(ARGV[12])
            local last = -1
            if most > 0 then
              last = most * 4 - 1
            end
            local users, seen = {}, {}
            for _, entry in ipairs(redis.call('ZRANGE', KEYS[3], 0, last)) do
              local user = user_of(entry)
              if not seen[user] and (most == 0 or #users < most) then
                seen[user] = true
                users[#users + 1] = user
              end
            end
            return {epoch, string.format('%d', seq), recovered, users, frames, redis.call('HLEN', KEYS[5])}
            """),

    /**
     * Removes this instance's presence entry of a user; publishes the leave event if it was the user's last.
     * KEYS: who, alive, users. ARGV: channel, room, instance, user.
     */
    LEAVE(RedisScript.PRESENCE_FUNCTIONS + """
            remove(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[4] .. '\\0' .. ARGV[3])
            return 0
            """),

    /**
     * Pushes back the expiry of this instance's presence entries in a room (putting back any Redis lost) and
     * removes every instance's expired entries. KEYS: who, alive, users. ARGV: channel, room, instance,
     * presence TTL (ms), room TTL (s), users...
     */
    REFRESH(RedisScript.PRESENCE_FUNCTIONS + """
            local now = now_ms()
            sweep(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], now)
            for i = 6, #ARGV do
              add(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[i], ARGV[3], '-', now + tonumber(ARGV[4]), ARGV[5])
            end
            return 0
            """);

    /** Instance ids are this many characters, so that a presence entry splits without a search. */
    static final int INSTANCE_ID_LENGTH = 16;

    /** Redis' own clock, the same for every instance. */
    private static final String CLOCK = """
            local function now_ms()
              local time = redis.call('TIME')
              return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            end
            """;

    private static final String PRESENCE_FUNCTIONS = CLOCK + """
            local function user_of(entry)
              return string.sub(entry, 1, -18)
            end
            local function remove(who, alive, users, channel, room, entry)
              redis.call('ZREM', alive, entry)
              if redis.call('ZREM', who, entry) == 1 then
                local user = user_of(entry)
                if redis.call('HINCRBY', users, user, -1) <= 0 then
                  redis.call('HDEL', users, user)
                  redis.call('PUBLISH', channel, 'L ' .. room .. ' ' .. user)
                end
              end
            end
            local function sweep(who, alive, users, channel, room, now)
              for _, entry in ipairs(redis.call('ZRANGEBYSCORE', alive, '-inf', now)) do
                remove(who, alive, users, channel, room, entry)
              end
            end
            local function add(who, alive, users, channel, room, user, instance, connection, expires, ttl)
              local entry = user .. '\\0' .. instance
              local added = redis.call('ZADD', who, 0, entry)
              if added == 1 then
                redis.call('HINCRBY', users, user, 1)
              end
              redis.call('ZADD', alive, expires, entry)
              redis.call('EXPIRE', who, ttl)
              redis.call('EXPIRE', alive, ttl)
              redis.call('EXPIRE', users, ttl)
              if added == 1 or connection ~= '-' then
                redis.call('PUBLISH', channel, 'J ' .. room .. ' ' .. connection .. ' ' .. user)
              end
            end
            """;

    private final String source;

    RedisScript(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }
}
