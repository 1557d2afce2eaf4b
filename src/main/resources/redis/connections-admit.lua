-- Counts a connection of a user, on whichever instance, if the user holds fewer than the limit; a
-- connection counts until the instance that holds it stops refreshing it, so those of a crashed instance drop out.
-- KEYS: the user's connections (sorted set: connection ids, scored by when they expire, ms).
-- ARGV: connection id, time to live (ms), limit. Returns 1 if the connection counts, 0 if it is one too many.
local now = now_ms()
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
