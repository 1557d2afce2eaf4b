-- Takes a room out of a user's list.
-- KEYS: rooms, peers (as listed-add.lua). ARGV: room.
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 0
