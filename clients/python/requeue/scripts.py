"""The queue's Lua scripts, as packaged from lib/redis/lua by scripts/export-lua.ts (never
edited by hand). Each runs with EVALSHA, falling back to EVAL when the server does not know it."""
import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple, Union

import redis

from .connection import is_cluster, pipe

_DIR = Path(__file__).parent / "_scripts" / "queue"
Arg = Union[str, int, float, bytes]


class ScriptSet:
    def __init__(self) -> None:
        self._index: Dict[str, Dict[str, Any]] = json.loads((_DIR / "index.json").read_text("utf-8"))
        self._lua: Dict[str, str] = {}
        self._on_cluster: Set[Tuple[int, str]] = set()

    def lua(self, name: str) -> str:
        if name not in self._lua:
            if name not in self._index:
                raise KeyError("no script named %s" % name)
            self._lua[name] = (_DIR / ("%s.lua" % name)).read_text("utf-8")
        return self._lua[name]

    def sha(self, name: str) -> str:
        return str(self._index[name]["sha"])

    def _check(self, name: str, keys: Sequence[str]) -> None:
        spec = self._index[name]
        n, variadic = int(spec["keys"]), bool(spec["variadic"])
        if (len(keys) < n) if variadic else (len(keys) != n):
            raise ValueError("script %s takes %s%d keys, got %d" % (name, "at least " if variadic else "", n, len(keys)))

    def run(self, client: "redis.Redis[Any]", name: str, keys: Sequence[str], args: Sequence[Arg]) -> Any:
        self._check(name, keys)
        if is_cluster(client) and (id(client), name) not in self._on_cluster:
            # loaded on every master first: redis-py logs each NOSCRIPT on a Cluster as an error
            client.script_load(self.lua(name))
            self._on_cluster.add((id(client), name))
        try:
            return client.evalsha(self.sha(name), len(keys), *keys, *args)
        except redis.exceptions.NoScriptError:
            return client.eval(self.lua(name), len(keys), *keys, *args)

    def pipe(self, client: "redis.Redis[Any]", calls: List[tuple], wait: Optional[Tuple[int, int]] = None) -> List[Any]:
        """Several script calls in one round trip (a pipeline), replies in order with errors as
        values; loads missing scripts first. ``wait`` (replicas, timeout ms) adds a WAIT after
        them (its reply last), sent where the calls went (requeue.connection.pipe)."""
        for name, keys, _ in calls:
            self._check(name, keys)
        names = sorted({c[0] for c in calls})
        known = client.script_exists(*[self.sha(n) for n in names]) if names else []
        for n, ok in zip(names, known):
            if not ok:
                client.script_load(self.lua(n))
        commands: List[Tuple[Any, ...]] = [("EVALSHA", self.sha(name), len(keys), *keys, *args)
                                           for name, keys, args in calls]
        if wait is not None:
            commands.append(("WAIT", *wait))
        return pipe(client, commands, calls[0][1][0] if calls else "")


SCRIPTS = ScriptSet()
