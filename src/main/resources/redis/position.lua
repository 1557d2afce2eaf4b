-- Where the room's sequence stands, without making the room: a read of the server API, which must not create
-- rooms by asking about them.
-- KEYS: meta. Returns {epoch, seq}, or {} if Redis holds no such room.
local position = redis.call('HMGET', KEYS[1], 'epoch', 'seq')
if not position[1] then
  return {}
end
return {position[1], position[2]}
