"""The queue's and the cache's Lua scripts, as packaged from lib/redis/lua by scripts/export-lua.ts (never
edited by hand). Each runs with EVALSHA, falling back to EVAL when the server does not know it."""
import json
from pathlib import Path
from typing import Any, Dict, List, Sequence, Union

import redis

_DIR = Path(__file__).parent / "_scripts" / "queue"
Arg = Union[str, int, float, bytes]


class ScriptSet:
    def __init__(self, folder: str = "queue") -> None:
        self._dir = _DIR.parent / folder
        self._index: Dict[str, Dict[str, Any]] = json.loads((self._dir / "index.json").read_text("utf-8"))
        self._lua: Dict[str, str] = {}

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

    def run(self, client: "redis.Redis[Any]", name: str, keys: Sequence[str], args: Sequence[Arg]) -> Any:
        self._check(name, keys)
        try:
            return client.evalsha(self.sha(name), len(keys), *keys, *args)
        except redis.exceptions.NoScriptError:
            return client.eval(self.lua(name), len(keys), *keys, *args)

    def pipe(self, client: "redis.Redis[Any]", calls: List[tuple]) -> List[Any]:
        """Several script calls in one round trip (a pipeline); loads missing scripts first."""
        for name, keys, _ in calls:
            self._check(name, keys)
        names = sorted({c[0] for c in calls})
        known = client.script_exists(*[self.sha(n) for n in names]) if names else []
        for n, ok in zip(names, known):
            if not ok:
                client.script_load(self.lua(n))
        p = client.pipeline(transaction=False)
        for name, keys, args in calls:
            p.evalsha(self.sha(name), len(keys), *keys, *args)
        return p.execute(raise_on_error=False)


SCRIPTS = ScriptSet()
CACHE_SCRIPTS = ScriptSet("cache")
