-- Publishes a message that another store ordered and committed (chat.history.store=postgres) on the event
-- channel, as append.lua publishes its own.
-- KEYS: meta (the room's, so that the script runs where the room lives). ARGV: channel, event.
return redis.call('PUBLISH', ARGV[1], ARGV[2])
