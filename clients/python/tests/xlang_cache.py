"""The Python side of the cross-language cache tests (test/python.test.ts), configured by the
same environment variables as any Requeue process. Reads a list of operations as JSON on stdin,
runs them on one cache instance, prints their results as JSON, then closes the cache (its last
statistics write):

  {"op": "get_or_set", "namespace", "key", "value", "tags"?, "user"?}  → {"value", "loaded"}
  {"op": "get", "namespace", "key", "user"?}                         → {"value", "hit"}
  {"op": "summary", "arg"}    → the decorated function ``summary(arg)`` of the "document"
                                namespace, whose own answer is {"from": "python"}: {"value", "loaded"}
  {"op": "invalidate_tag", "tag"}                                    → {"ok"}
"""
import json
import sys
from pathlib import Path
from typing import Any, Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from requeue import Cache  # noqa: E402

_MISSING = object()


def main() -> int:
    ops: List[Dict[str, Any]] = json.load(sys.stdin)
    base = Cache("default")
    out: List[Dict[str, Any]] = []
    loaded: List[bool] = []

    def loader(value: Any) -> Any:
        loaded.append(True)
        return value

    @base.namespace("document").cached
    def summary(arg: Any) -> Any:
        loaded.append(True)
        return {"from": "python"}

    for op in ops:
        loaded.clear()
        if op["op"] == "get_or_set":
            c = base.namespace(op["namespace"])
            value = c.get_or_set(op["key"], lambda: loader(op["value"]), user=op.get("user"), tags=op.get("tags"))
            out.append({"value": value, "loaded": bool(loaded)})
        elif op["op"] == "get":
            value = base.namespace(op["namespace"]).get(op["key"], user=op.get("user"), default=_MISSING)
            out.append({"value": None if value is _MISSING else value, "hit": value is not _MISSING})
        elif op["op"] == "summary":
            out.append({"value": summary(op["arg"]), "loaded": bool(loaded)})
        elif op["op"] == "invalidate_tag":
            out.append({"ok": base.invalidate_tag(op["tag"]).ok})
        else:
            raise SystemExit("unknown op %s" % op["op"])
    base.close()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
