-- Publishes an event another part ordered on the room's channel: a message another store committed
-- (chat.history.store=postgres), as append.lua publishes its own, or a user's new read position.
-- KEYS: meta (the room's, so that the script runs where the room lives). ARGV: channel, event.
return redis.call(PUBLISH, ARGV[1], ARGV[2])
