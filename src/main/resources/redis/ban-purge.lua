-- Deletes the bans that ended by ARGV[1] (milliseconds): a ban applies while its end is still to come.
-- KEYS: bans (hash of every ban by field), ends (sorted set of the fields of bans that end, by their end).
local function purge_ended(now_ms)
  local ended = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now_ms)
  for _, field in ipairs(ended) do
    redis.call('HDEL', KEYS[1], field)
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now_ms)
end
