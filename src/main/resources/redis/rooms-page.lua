-- A page of the list of rooms by name, after dropping the rooms no instance re-listed in time.
-- KEYS: names, alive (as in rooms-keep.lua). ARGV: after ('' for the first page), most rooms.
-- Returns {rooms}.
for _, room in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now_ms())) do
  redis.call('ZREM', KEYS[1], room)
  redis.call('ZREM', KEYS[2], room)
end
local from = '-'
if ARGV[1] ~= '' then
  from = '(' .. ARGV[1]
end
return redis.call('ZRANGEBYLEX', KEYS[1], from, '+', 'LIMIT', 0, tonumber(ARGV[2]))
