-- The room's epoch, and whether it starts here: a room Redis does not hold (new, expired, or lost) starts a new
-- epoch at seq 0, and so does a room another primary wrote last (WRITER, this primary's replication id, is set
-- by the instance that loaded the script). That primary's data came here by replication, which may have missed
-- its last writes, so a seq that members saw could go to another message; a new epoch gives them a fresh view
-- instead. A room written before rooms named their writer takes this one.
local function room_epoch(meta, log, new_epoch)
  local held = redis.call('HMGET', meta, 'epoch', 'writer')
  if held[1] and (held[2] == WRITER or not held[2]) then
    if not held[2] then
      redis.call('HSET', meta, 'writer', WRITER)
    end
    return held[1], false
  end
  redis.call('HSET', meta, 'epoch', new_epoch, 'seq', 0, 'writer', WRITER)
  redis.call('DEL', log)
  return new_epoch, true
end
