-- Claims or renews a lease: returns 1 if ARGV[1] holds KEYS[1] for the next ARGV[2] ms.
-- With ARGV[2] = '0' it releases the lease if ARGV[1] holds it.
local holder = redis.call('GET', KEYS[1])
if ARGV[2] == '0' then
  if holder == ARGV[1] then
    redis.call('DEL', KEYS[1])
  end
  return 0
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
