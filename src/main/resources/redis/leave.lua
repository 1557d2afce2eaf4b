-- Removes this instance's presence entry of a user; publishes the leave event if it was the user's last.
-- KEYS: who, alive, users. ARGV: channel, room, instance, user.
remove(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[4] .. '\0' .. ARGV[3])
return 0
