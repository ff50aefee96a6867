-- Removes a topic (and a time series' events) and publishes the removal, atomically.
-- Returns 1 if it existed.
-- KEYS[1] the topic's hash, KEYS[2] its stream, KEYS[3] the index of its shard's topics; ARGV: 1 changes channel, 2 path
if redis.call('DEL', KEYS[1]) == 1 then
  redis.call('DEL', KEYS[2])
  redis.call('SREM', KEYS[3], ARGV[2])
  redis.call('PUBLISH', ARGV[1], 'R\n' .. ARGV[2])
  return 1
end
return 0
