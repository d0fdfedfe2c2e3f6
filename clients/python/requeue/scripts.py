"""The queue's and the cache's Lua scripts, read from the one tree of the repository,
lib/redis/lua (requeue/_lua is a link to it), and expanded exactly as lib/redis/scripts.ts expands
them: each line `--@include <name>` becomes includes/<name>.lua (a repeat or a cycle is an error),
then each `__NAME__` placeholder takes its constant. What the tree does not say is in
requeue/_index/<set>.json, written by scripts/export-lua.ts: the set's constants, and each script's
key count and SHA as TypeScript makes it. A script that expands to another SHA is refused
(ScriptTreeError), so both languages always send the same scripts. Each runs with EVALSHA, falling
back to EVAL when the server does not know it."""
import hashlib
import json
import re
from pathlib import Path
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Sequence, Set, Tuple, Union

import redis

from .connection import is_cluster, pipe
from .errors import ScriptTreeError

TREE = Path(__file__).parent / "_lua"
INDEX = Path(__file__).parent / "_index"
Arg = Union[str, int, float, bytes]

# lib/redis/scripts.ts's /^--@include (\w+)\s*$/gm with JavaScript's meanings spelt out: \w is
# ASCII, \s is JavaScript's white space (line ends included: the match takes the blank lines after
# it but the last line end), and ^ and $ also stand at \r, U+2028 and U+2029.
_LINE_END = "\n\r\u2028\u2029"
_JS_SPACE = "\t\v\f \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff" + _LINE_END
_INCLUDE = re.compile("(?:(?<=[%s])|\\A)--@include ([A-Za-z0-9_]+)[%s]*(?=[%s]|\\Z)"
                      % (_LINE_END, _JS_SPACE, _LINE_END))


class Script(NamedTuple):
    name: str
    keys: int  # at least this many when variadic
    variadic: bool
    lua: str
    sha: str


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")  # bytes as they are: read_text would turn \r\n into \n
    except (OSError, UnicodeDecodeError) as error:
        raise ScriptTreeError("cannot read %s: %s" % (path, error)) from error


def expand(tree: Path, source: str, seen: Set[str]) -> str:
    """`source` with its includes (from tree/includes/) expanded, recursively."""
    def include(m: "re.Match[str]") -> str:
        name = m.group(1)
        if name in seen:
            raise ScriptTreeError("script include cycle or repeat: %s" % name)
        seen.add(name)
        return expand(tree, _read(tree / "includes" / ("%s.lua" % name)), seen)
    return _INCLUDE.sub(include, source)


def load_set(folder: str, tree: Path = TREE, index: Optional[Path] = None) -> Dict[str, Script]:
    """The scripts of a folder of the tree, each checked against the SHA of its index."""
    index_path = index or INDEX / ("%s.json" % folder)
    try:
        spec = json.loads(_read(index_path))
        constants = {str(k): str(v) for k, v in spec["constants"].items()}
        entries = [(name, int(e["keys"]), bool(e["variadic"]), str(e["sha"])) for name, e in spec["scripts"].items()]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ScriptTreeError("%s is not an index of scripts: %r" % (index_path, error)) from error
    scripts: Dict[str, Script] = {}
    for name, keys, variadic, wanted in entries:
        file = tree / folder / ("%s-%d%s.lua" % (name, keys, "+" if variadic else ""))
        lua = expand(tree, _read(file), set())
        for placeholder, value in constants.items():
            lua = lua.replace(placeholder, value)
        sha = hashlib.sha1(lua.encode("utf-8")).hexdigest()
        if sha != wanted:
            raise ScriptTreeError(
                "%s/%s expands to SHA %s here, but %s holds %s (the SHA TypeScript sends): the index is stale "
                "(run `npx tsx scripts/export-lua.ts`) or requeue/scripts.py no longer expands the tree as "
                "lib/redis/scripts.ts does; refusing to run a script TypeScript would not send"
                % (folder, file.name, sha, index_path.name, wanted))
        scripts[name] = Script(name, keys, variadic, lua, sha)
    return scripts


class ScriptSet:
    """The scripts of one folder of the tree (queue or cache), loaded and checked on first use."""

    def __init__(self, folder: str = "queue", tree: Path = TREE, index: Optional[Path] = None) -> None:
        self.folder, self._tree, self._index = folder, tree, index
        self._scripts: Optional[Dict[str, Script]] = None
        self._loaded: Set[Tuple[int, str]] = set()  # (id of a client, script) known to be loaded

    def scripts(self) -> Dict[str, Script]:
        """Every script of the set, by name."""
        if self._scripts is None:
            self._scripts = load_set(self.folder, self._tree, self._index)
        return self._scripts

    def _script(self, name: str) -> Script:
        script = self.scripts().get(name)
        if script is None:
            raise KeyError("no script named %s in %s" % (name, self.folder))
        return script

    def lua(self, name: str) -> str:
        return self._script(name).lua

    def sha(self, name: str) -> str:
        return self._script(name).sha

    def _check(self, name: str, keys: Sequence[str]) -> None:
        script = self._script(name)
        n, variadic = script.keys, script.variadic
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
