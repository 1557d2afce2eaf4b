-- Publishes an event another part ordered on the room's channel: a message another store committed
-- (chat.history.store=postgres), as append.lua publishes its own, or a user's new read position.
-- KEYS: a key of the channel's slot (the room's meta, or the channel itself), so that on a Redis Cluster the script
-- runs on the shard that owns the channel. ARGV: channel, event.
return redis.call(PUBLISH, ARGV[1], ARGV[2])
