"""The cache: a port of lib/cache (namespace.ts, cache.ts, entry-io.ts) on the same keys, entry
format, Lua scripts and statistics, so a value cached by one language is read by the other.

get_or_set, the path most callers take:
  read (one MGET) ─ fresh hit ──────────────▶ value
       ├─ stale hit (within grace) ─▶ value, and one thread refreshes it in the background
       ├─ miss ─▶ a load of this key already running in this process? wait for it (single-flight)
       │        └─ else (with ``lock``) another process loading? wait briefly for its value
       │           └─ load, write (skipped if the namespace or a tag changed meanwhile) ─▶ value
       └─ Redis error, timeout or open breaker ─▶ the loader's value, never the error
"""
import functools
import math
import threading
import time
from concurrent.futures import Future
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple, TypeVar, Union

import redis

from .cache_codec import Header, decode_body, encode, find_secret_fields, parse_header, secret_refused
from .cache_config import CacheSettings, NamespaceSettings
from .cache_keys import CacheKeys, call_key, check_namespace, entry_key, global_cache_keys, normalize_tags
from .cache_runtime import CacheRuntime, Guarded, default_runtime, unavailable
from .errors import CacheError
from .scripts import CACHE_SCRIPTS

T = TypeVar("T")
_MISSING = object()


class InvalidationResult(NamedTuple):
    ok: bool
    namespaces: int  # namespaces whose tag version was bumped


class _Read(NamedTuple):
    """What the MGET said: a hit (raw entry and header) or a miss with the versions seen."""

    hit: bool
    raw: bytes = b""
    header: Optional[Header] = None
    generation: str = "0"
    versions: Tuple[str, ...] = ()


def _text(b: Optional[bytes]) -> str:
    return "0" if b is None else b.decode("latin-1")


def _now_ms() -> float:
    return time.time() * 1000


class Cache:
    """One namespace of the cache. ``Cache("document")`` uses the process's shared client,
    breaker and statistics (from the environment); pass ``client``/``settings`` for a separate
    instance, and ``ttl``, ``grace``, ``lock``, ``user_scoped`` to override the namespace's
    settings (built-in namespaces take theirs from CACHE_*_TTL)."""

    def __init__(self, namespace: str = "default", *, client: Optional["redis.Redis[Any]"] = None,
                 settings: Optional[CacheSettings] = None, runtime: Optional[CacheRuntime] = None,
                 ttl: Optional[int] = None, grace: Optional[int] = None, lock: Optional[bool] = None,
                 user_scoped: Optional[bool] = None) -> None:
        self.name = check_namespace(namespace)
        if runtime is None:
            runtime = default_runtime() if client is None and settings is None else CacheRuntime(client, settings)
        self.rt = runtime
        s = runtime.settings
        base = runtime.namespaces.get(namespace) or NamespaceSettings(ttl=s.default_ttl, grace=s.grace)
        self.settings = NamespaceSettings(
            ttl=base.ttl if ttl is None else ttl,
            grace=base.grace if grace is None else grace,
            lock=base.lock if lock is None else lock,
            user_scoped=base.user_scoped if user_scoped is None else user_scoped,
        )
        runtime.namespaces[namespace] = self.settings
        self.keys = CacheKeys(namespace, runtime.prefix)

    def namespace(self, name: str, **settings: Any) -> "Cache":
        """Another namespace on the same client, breaker and statistics."""
        return Cache(name, runtime=self.rt, **settings)

    # --- reads and writes ------------------------------------------------------------------

    def get(self, key: str, user: Optional[str] = None, default: Any = None) -> Any:
        """The value, or ``default`` on a miss, a stale entry, an error or when disabled."""
        if not self.rt.enabled:
            self.rt.recorder.add(self.name, "bypasses")
            return default
        entry = self.entry_key(key, user)
        reply = self._read(entry, self._tags_of(None, user))
        if reply is None:
            return default
        value: Any = _MISSING
        if reply.hit and reply.header is not None and reply.header.fresh_until >= _now_ms():
            try:
                value = decode_body(reply.raw, reply.header)
            except Exception:  # noqa: BLE001 - an unreadable body is a miss
                value = _MISSING
        self.rt.recorder.add(self.name, "misses" if value is _MISSING else "hits")
        return default if value is _MISSING else value

    def set(self, key: str, value: Any, user: Optional[str] = None, ttl: Optional[float] = None,
            grace: Optional[float] = None, tags: Optional[Sequence[str]] = None,
            allow_secrets: bool = False) -> bool:
        """Stores a value; False if Redis failed. Raises CACHE_SECRET_REFUSED for secrets."""
        if not self.rt.enabled:
            return False
        entry = self.entry_key(key, user)
        return self._write(entry, value, self._tags_of(tags, user), ttl, grace, allow_secrets)

    def delete(self, key: str, user: Optional[str] = None) -> bool:
        """Deletes one entry. Raises CACHE_UNAVAILABLE / CACHE_CIRCUIT_OPEN if Redis could not be asked."""
        if not self.rt.enabled:
            return False
        entry = self.entry_key(key, user)
        g = self.rt.guarded(self.name, lambda: self.rt.client.delete(entry))
        if not g.ok:
            raise unavailable(g)
        return bool(g.value)

    def flush(self) -> None:
        """Every entry of the namespace becomes a miss at once (O(1): a new generation)."""
        g = self.rt.guarded(self.name, lambda: self.rt.client.incr(self.keys.generation))
        if not g.ok:
            raise unavailable(g)

    def get_or_set(self, key: str, loader: Callable[[], T], user: Optional[str] = None,
                   tags: Optional[Sequence[str]] = None, ttl: Optional[float] = None,
                   grace: Optional[float] = None, lock: Optional[bool] = None, allow_secrets: bool = False) -> T:
        """The cached value, or the loader's (then cached). Redis failures never reach the caller."""
        if not self.rt.enabled:
            self.rt.recorder.add(self.name, "bypasses")
            return self._load(loader)
        entry = self.entry_key(key, user)
        joined = self.rt.inflight.get(entry)
        if joined is not None:
            return self._join(joined)
        tag_list = self._tags_of(tags, user)
        reply = self._read(entry, tag_list)
        if reply is None:
            return self._load(loader)
        write = functools.partial(self._load_and_write, entry, loader, tag_list, ttl, grace, allow_secrets)
        if reply.hit:
            served = self._serve(reply, entry, write, grace)
            if served is not None:
                return served[0]  # type: ignore[no-any-return]
            expected = None
        else:
            self.rt.recorder.add(self.name, "misses")
            expected = (reply.generation, reply.versions)
        locked = (self.settings.lock if lock is None else lock) and not reply.hit

        def run() -> T:
            if not locked:
                return write(expected, "")  # type: ignore[no-any-return]
            token = self._try_lock(entry)
            if token is not None:
                return write(expected, token)  # type: ignore[no-any-return]
            theirs = self._wait_for_other_loader(entry, tag_list)
            if theirs is not None:
                return theirs[0]  # type: ignore[no-any-return]
            return write(expected, "")  # type: ignore[no-any-return]

        return self.rt.single_flight(entry, run, self._join)

    def cached(self, func: Optional[Callable[..., Any]] = None, *, name: Optional[str] = None,
               key: Optional[Callable[..., str]] = None,
               options: Union[None, Dict[str, Any], Callable[..., Dict[str, Any]]] = None) -> Any:
        """The decorator (TypeScript's ``wrap``): ``@cache.cached`` or ``@cache.cached(name=…,
        key=…, options=…)``. The key is ``<name>:<JSON of the arguments, object keys sorted>``
        (keyword arguments, if any, as one more object), so it matches TypeScript's for the same
        name and arguments; ``options`` are get_or_set's keywords, or a function of the arguments
        returning them (tags, user)."""

        def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
            fn_name = name or getattr(fn, "__name__", "")
            if not fn_name and key is None:
                raise CacheError("CACHE_INVALID_ARGUMENT", "wrap() needs a name or a key function")

            @functools.wraps(fn)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                k = key(*args, **kwargs) if key is not None else self._call_key(fn_name, args, kwargs)
                opts = options(*args, **kwargs) if callable(options) else (options or {})
                return self.get_or_set(k, lambda: fn(*args, **kwargs), **opts)

            return wrapper

        return decorate(func) if func is not None else decorate

    # --- invalidation across namespaces ---------------------------------------------------

    def invalidate_tag(self, tags: Union[str, Sequence[str]],
                       namespaces: Optional[Sequence[str]] = None) -> InvalidationResult:
        """Every entry tagged with one of ``tags`` becomes a miss, in every namespace (or those
        given): one small script per namespace and tag, whatever the size of the database."""
        encoded = normalize_tags([tags] if isinstance(tags, str) else list(tags))
        # namespaces only other processes wrote to are known from Redis alone: when that list
        # could not be read, the answer must not say every entry was reached (lib/cache/cache.ts)
        listed_ok, names = (True, list(namespaces)) if namespaces is not None else self._known_namespaces()
        ok = listed_ok
        for ns in names:
            keys = CacheKeys(check_namespace(ns), self.rt.prefix)
            for t in encoded:
                g = self.rt.guarded(ns, lambda: CACHE_SCRIPTS.run(self.rt.client, "invalidateTag",
                                                                  [keys.meta, keys.tag(t)], []))
                ok = ok and g.ok
        return InvalidationResult(ok, len(names))

    def invalidate_user(self, user_id: str) -> InvalidationResult:
        """After a change of a user's role or permissions: all of that user's entries become misses."""
        return self.invalidate_tag("user:%s" % user_id)

    def flush_namespace(self, name: Optional[str] = None) -> None:
        """O(1): the namespace (this one by default) gets a new generation."""
        (self if name is None or name == self.name else self.namespace(name)).flush()

    def list_namespaces(self) -> List[str]:
        """Namespaces defined here and every namespace any process has written to."""
        return self._known_namespaces()[1]

    def _known_namespaces(self) -> Tuple[bool, List[str]]:
        """The namespaces, and whether Redis's registry was read (else only those defined here)."""
        key = global_cache_keys(self.rt.prefix)["namespaces"]
        g = self.rt.guarded("default", lambda: self.rt.client.smembers(key))
        known = {m.decode("utf-8") if isinstance(m, bytes) else m for m in g.value} if g.ok else set()
        return g.ok, sorted(set(self.rt.namespaces) | known)

    # --- tools ------------------------------------------------------------------------------

    def entry_key(self, key: str, user: Optional[str] = None) -> str:
        """The full Redis key of an entry (tests and tools; never logged)."""
        return entry_key(self.keys, key, user, self.settings.user_scoped)

    def breaker(self) -> Dict[str, Any]:
        return self.rt.breaker.snapshot()

    def flush_stats(self) -> None:
        """Writes pending statistics now (they are otherwise written about once a second)."""
        self.rt.recorder.flush()

    def close(self) -> None:
        """Stops the statistics thread after a last write; closes the client if the cache made it."""
        self.rt.close()

    # --- internals --------------------------------------------------------------------------

    def _call_key(self, fn_name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> str:
        try:
            return call_key(fn_name, list(args) + ([kwargs] if kwargs else []))
        except (TypeError, ValueError):
            raise CacheError("CACHE_INVALID_ARGUMENT",
                             "the arguments of %s are not JSON: pass key=" % fn_name) from None

    def _tags_of(self, tags: Optional[Sequence[str]], user: Optional[str]) -> List[str]:
        if isinstance(tags, str):
            tags = [tags]
        listed = list(tags or [])
        # a user's entries carry its tag, so invalidate_user reaches them
        return normalize_tags(listed if user is None else listed + ["user:%s" % user])

    def _read(self, entry: str, tags: List[str]) -> Optional[_Read]:
        """One MGET of the entry, the generation and the tags' versions; None when Redis failed.
        An entry carrying tags the caller did not name costs a second MGET."""
        keys = [entry, self.keys.generation] + [self.keys.tag(t) for t in tags]
        started = time.perf_counter()
        g = self.rt.guarded(self.name, lambda: self.rt.client.mget(keys))
        if not g.ok:
            return None
        self.rt.recorder.latency(self.name, (time.perf_counter() - started) * 1000)
        reply: List[Optional[bytes]] = g.value
        miss = _Read(False, generation=_text(reply[1]), versions=tuple(_text(v) for v in reply[2:]))
        raw = reply[0]
        if raw is None:
            return miss
        try:
            header = parse_header(raw)
        except CacheError:
            return miss  # an unreadable entry is a miss (and gets overwritten), not a Redis failure
        if header.generation != _text(reply[1]):
            return miss
        unknown: List[Tuple[str, Optional[str]]] = []
        for tag, version in header.tags:
            if tag in tags:
                if miss.versions[tags.index(tag)] != version:
                    return miss
            else:
                unknown.append((tag, version))
        if unknown:
            tag_keys = [self.keys.tag(t) for t, _ in unknown]
            checked = self.rt.guarded(self.name, lambda: self.rt.client.mget(tag_keys))
            if not checked.ok:
                return None
            if any(_text(cur) != v for cur, (_, v) in zip(checked.value, unknown)):
                return miss
        return _Read(True, raw, header)

    def _serve(self, reply: _Read, entry: str, write: Callable[..., Any],
               grace: Optional[float]) -> Optional[Tuple[Any]]:
        """A fresh hit, or a stale one inside its grace period (then refreshed in the background)."""
        assert reply.header is not None
        try:
            value = decode_body(reply.raw, reply.header)
        except Exception:  # noqa: BLE001 - an unreadable body: counted, then loaded afresh
            self.rt.recorder.add(self.name, "errors")
            return None
        if reply.header.fresh_until >= _now_ms():
            self.rt.recorder.add(self.name, "hits")
            return (value,)
        if (self.settings.grace if grace is None else grace) <= 0:
            return None  # past its TTL: a miss
        self.rt.recorder.add(self.name, "staleHits")
        if entry not in self.rt.refreshing:
            threading.Thread(target=self._refresh, args=(entry, write), daemon=True).start()
        return (value,)

    def _refresh(self, entry: str, write: Callable[..., Any]) -> None:
        """One process-wide refresh of a stale entry, behind the cross-process lock."""
        if entry in self.rt.refreshing:
            return
        self.rt.refreshing.add(entry)
        try:
            token = self._try_lock(entry)
            if token is not None:
                write(None, token)
        except Exception:  # noqa: BLE001 - a failed refresh leaves the stale entry; the next caller tries again
            pass
        finally:
            self.rt.refreshing.discard(entry)

    def _try_lock(self, entry: str) -> Optional[str]:
        """The short cross-process lock of an entry: its token, "" when Redis could not be asked
        (load without a lock), None when another process holds it."""
        token = self.rt.token()
        lock_key, ms = self.keys.lock(entry), self.rt.settings.lock_ms
        g = self.rt.guarded(self.name, lambda: self.rt.client.set(lock_key, token, px=ms, nx=True))
        if not g.ok:
            return ""
        return token if g.value else None

    def _wait_for_other_loader(self, entry: str, tags: List[str]) -> Optional[Tuple[Any]]:
        wait_ms = self.rt.settings.lock_wait_ms
        deadline = _now_ms() + wait_ms
        step = max(5, min(50, wait_ms / 8)) / 1000
        while _now_ms() < deadline:
            time.sleep(step)
            reply = self._read(entry, tags)
            if reply is None:
                return None
            if reply.hit and reply.header is not None:
                return (decode_body(reply.raw, reply.header),)
        return None

    def _load_and_write(self, entry: str, loader: Callable[[], T], tags: List[str], ttl: Optional[float],
                        grace: Optional[float], allow_secrets: bool,
                        expected: Optional[Tuple[str, Tuple[str, ...]]], token: str) -> T:
        value = self._load(loader)
        self._write(entry, value, tags, ttl, grace, allow_secrets, expected, token)
        return value

    def _write(self, entry: str, value: Any, tags: List[str], ttl: Optional[float], grace: Optional[float],
               allow_secrets: bool, expected: Optional[Tuple[str, Tuple[str, ...]]] = None,
               token: str = "") -> bool:
        if not allow_secrets:
            found = find_secret_fields(value, self.rt.settings.secret_fields)
            if found:
                raise secret_refused(self.name, found)
        ttl = self.settings.ttl if ttl is None else ttl
        grace = self.settings.grace if grace is None else grace
        encoded = encode(value, _now_ms() + ttl * 1000, self.rt.settings.compress_threshold)
        lifetime_ms = max(1, math.ceil((ttl + grace) * 1000))
        self._register()
        keys = [entry, self.keys.generation, self.keys.meta, self.keys.lock(entry)] + [self.keys.tag(t) for t in tags]
        versions = list(expected[1]) if expected else [""] * len(tags)
        args = [expected[0] if expected else "", lifetime_ms, encoded.head, encoded.payload, token] + tags + versions
        g = self.rt.guarded(self.name, lambda: CACHE_SCRIPTS.run(self.rt.client, "write", keys, args))
        if g.ok:
            self.rt.recorder.add(self.name, "sets" if g.value == 1 else "skippedWrites")
        return g.ok and g.value == 1

    def _register(self) -> None:
        """The namespace joins the registry before its first write, so tag invalidation reaches it."""
        if self.name in self.rt.registered:
            return
        key = global_cache_keys(self.rt.prefix)["namespaces"]
        if self.rt.guarded(self.name, lambda: self.rt.client.sadd(key, self.name)).ok:
            self.rt.registered.add(self.name)

    def _load(self, loader: Callable[[], T]) -> T:
        started = time.perf_counter()
        try:
            return loader()
        finally:
            self.rt.recorder.add(self.name, "loads")
            self.rt.recorder.add(self.name, "loaderUs", (time.perf_counter() - started) * 1_000_000)

    def _join(self, flight: "Future[Any]") -> Any:
        self.rt.recorder.add(self.name, "coalesced")
        return flight.result()
