"""The queue's and the cache's Lua scripts, as packaged from lib/redis/lua by scripts/export-lua.ts (never
edited by hand). Each runs with EVALSHA, falling back to EVAL when the server does not know it."""
import json
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

import redis

from .connection import is_cluster, pipe

_DIR = Path(__file__).parent / "_scripts" / "queue"
Arg = Union[str, int, float, bytes]


class ScriptSet:
    def __init__(self, folder: str = "queue") -> None:
        self._dir = _DIR.parent / folder
        self._index: Dict[str, Dict[str, Any]] = json.loads((self._dir / "index.json").read_text("utf-8"))
        self._lua: Dict[str, str] = {}
        self._loaded: Set[Tuple[int, str]] = set()  # (id of a client, script) known to be loaded

    def lua(self, name: str) -> str:
        if name not in self._lua:
            if name not in self._index:
                raise KeyError("no script named %s" % name)
            self._lua[name] = (self._dir / ("%s.lua" % name)).read_text("utf-8")
        return self._lua[name]

    def sha(self, name: str) -> str:
        return str(self._index[name]["sha"])

    def _check(self, name: str, keys: Sequence[str]) -> None:
        spec = self._index[name]
        n, variadic = int(spec["keys"]), bool(spec["variadic"])
        if (len(keys) < n) if variadic else (len(keys) != n):
            raise ValueError("script %s takes %s%d keys, got %d" % (name, "at least " if variadic else "", n, len(keys)))

    def _ensure(self, client: Any, names: Iterable[str]) -> None:
        """Loads the scripts this client's server may lack; remembered per client, so a round trip
        costs no SCRIPT EXISTS once they are known (a server that forgot them answers NOSCRIPT:
        see pipe)."""
        todo = sorted({n for n in names if (id(client), n) not in self._loaded})
        if not todo:
            return
        for n, ok in zip(todo, client.script_exists(*[self.sha(n) for n in todo])):
            if not ok:
                client.script_load(self.lua(n))
        self._loaded.update((id(client), n) for n in todo)

    def _forget(self, client: Any) -> None:
        self._loaded = {k for k in self._loaded if k[0] != id(client)}

    def run(self, client: "redis.Redis[Any]", name: str, keys: Sequence[str], args: Sequence[Arg]) -> Any:
        self._check(name, keys)
        if is_cluster(client):
            self._ensure(client, [name])  # redis-py logs each NOSCRIPT on a Cluster as an error
        try:
            return client.evalsha(self.sha(name), len(keys), *keys, *args)
        except redis.exceptions.NoScriptError:
            self._forget(client)
            return client.eval(self.lua(name), len(keys), *keys, *args)

    def pipe(self, client: "redis.Redis[Any]", calls: List[tuple], wait: Optional[Tuple[int, int]] = None) -> List[Any]:
        """Several script calls in one round trip (a pipeline), replies in order with errors as
        values; loads missing scripts first. ``wait`` (replicas, timeout ms) adds a WAIT after
        them (its reply last), sent where the calls went (requeue.connection.pipe). A call the
        server refused with NOSCRIPT (restarted, or SCRIPT FLUSH) did nothing: it is sent again
        once its script is loaded."""
        for name, keys, _ in calls:
            self._check(name, keys)
        self._ensure(client, [c[0] for c in calls])
        commands: List[Tuple[Any, ...]] = [("EVALSHA", self.sha(name), len(keys), *keys, *args)
                                           for name, keys, args in calls]
        if wait is not None:
            commands.append(("WAIT", *wait))
        key = calls[0][1][0] if calls else ""
        replies = pipe(client, commands, key)
        missing = [i for i, r in enumerate(replies[:len(calls)]) if isinstance(r, redis.exceptions.NoScriptError)]
        if missing:
            self._forget(client)
            self._ensure(client, [calls[i][0] for i in missing])
            for i, reply in zip(missing, pipe(client, [commands[i] for i in missing], key)):
                replies[i] = reply
        return replies


SCRIPTS = ScriptSet()
CACHE_SCRIPTS = ScriptSet("cache")
