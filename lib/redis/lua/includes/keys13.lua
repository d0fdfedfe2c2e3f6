-- The thirteen keys of the console's job actions (lib/redis/lua/jobs): keys10, then the
-- completed zset, the completed records hash and the consumer heartbeats hash.
--@include keys10
K.completed, K.done, K.consumers = KEYS[11], KEYS[12], KEYS[13]
