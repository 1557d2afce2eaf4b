-- Keeps rooms that have members on the calling instance in the list of rooms, until the given expiry: an
-- instance re-lists its rooms at each presence refresh, so the rooms of a crashed instance drop out.
-- KEYS: names (sorted set, all scores 0: sorted by name), alive (the same rooms, scored by expiry, ms).
-- ARGV: time to live (ms), rooms...
local expires = now_ms() + tonumber(ARGV[1])
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], 0, ARGV[i])
  redis.call('ZADD', KEYS[2], expires, ARGV[i])
end
return 0
