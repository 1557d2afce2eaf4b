-- A user's rooms, joined most recently first, each with the other user of a direct conversation or ''.
-- KEYS: rooms, peers (as listed-add.lua). Returns {room, peer, room, peer, ...}.
local listed = {}
for _, room in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, -1)) do
  listed[#listed + 1] = room
  listed[#listed + 1] = redis.call('HGET', KEYS[2], room) or ''
end
return listed
