"""The Redis cache backend keeps one client per connection pool (Django builds one per call)."""

from tinhso.core.cache import RedisCache


def test_the_redis_backend_reuses_its_client_and_connects_only_when_used():
    backend = RedisCache("redis://127.0.0.1:1/0", {})  # nothing listens there: building must not connect
    first = backend._cache.get_client("key")
    assert backend._cache.get_client("other", write=True) is first
    assert backend.make_and_validate_key("key").endswith("key")
