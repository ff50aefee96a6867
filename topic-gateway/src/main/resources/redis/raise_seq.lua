-- Raises a topic's seq to a floor, when the store holds a lower one than a replica has already
-- applied: the store went back (a Redis Cluster master died before its replica had its last
-- writes, or a Redis restarted from an older snapshot). Subscribers saw seqs up to the floor and
-- drop anything at or below what they hold, so the store's value is published again at the floor
-- (a retained value that is not a time series); otherwise only the seq moves, and the next write
-- takes the seq after it. Returns 1 when raised.
-- KEYS[1] the topic's hash; ARGV: 1 changes channel, 2 path, 3 floor
local seq = redis.call('HGET', KEYS[1], 'seq')
if not seq or tonumber(seq) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('HSET', KEYS[1], 'seq', ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'value', 'retain', 'type')
if state[1] and state[2] == '1' and state[3] ~= 'TIME_SERIES' then
  redis.call('PUBLISH', ARGV[1], 'S' .. ARGV[3] .. '\n' .. ARGV[2] .. '\n' .. state[1])
end
return 1
