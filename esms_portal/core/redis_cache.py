"""Django's Redis cache, keeping one redis-py client per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` around the pool for every cache
operation, and redis-py fills a dictionary of ~170 response callbacks in each constructor: about as
much CPU as the operation's round trip. A page served from the public cache makes two reads; the
throttles and the card-login challenges use the cache too. The client is kept per pool (a cache
instance is per thread in Django, a redis-py client is thread-safe, and its pool reconnects after
a fork), so behaviour is Django's own.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _Client(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client
