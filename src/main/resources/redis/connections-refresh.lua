-- Pushes back the expiry of one instance's connections of a user (putting back any Redis lost) and removes
-- every instance's expired ones.
-- KEYS: the user's connections (as connections-admit.lua). ARGV: time to live (ms), connection ids...
local now = now_ms()
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 0
