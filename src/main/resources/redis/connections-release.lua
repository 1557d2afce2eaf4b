-- Stops counting a connection of a user.
-- KEYS: the user's connections (as connections-admit.lua). ARGV: connection id.
redis.call('ZREM', KEYS[1], ARGV[1])
return 0
