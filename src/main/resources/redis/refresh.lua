-- Pushes back the expiry of this instance's presence entries in a room (putting back any Redis lost) and
-- removes every instance's expired entries.
-- KEYS: who, alive, users. ARGV: channel, room, instance, presence TTL (ms), room TTL (s), users...
local now = now_ms()
sweep(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], now)
for i = 6, #ARGV do
  add(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[i], ARGV[3], '-', now + tonumber(ARGV[4]), ARGV[5])
end
return 0
