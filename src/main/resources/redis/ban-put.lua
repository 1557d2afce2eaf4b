-- Keeps a ban, replacing the user's ban of the same scope.
-- KEYS: bans, ends. ARGV: field (<room or *>\n<user>), the ban (JSON), its end in milliseconds ('' for none).
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[2], ARGV[1])
else
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
end
return 1
