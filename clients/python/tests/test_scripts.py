"""The Lua scripts: the client expands the one tree, lib/redis/lua (requeue/_lua), as
lib/redis/scripts.ts does, and each script must come out with the SHA TypeScript sends, the one in
requeue/_index/<set>.json (scripts/export-lua.ts); a script that does not is refused."""
import hashlib
import json
import re
import shutil
import tempfile
import unittest
from pathlib import Path

from requeue.errors import ScriptTreeError
from requeue.scripts import INDEX, TREE, ScriptSet, expand, load_set

SETS = ("queue", "cache")  # the folders of the tree the client runs
SCRIPT_FILE = re.compile(r"([A-Za-z]\w*)-(\d+)(\+?)\.lua", re.ASCII)  # lib/redis/scripts.ts's FILE_NAME


def index_of(folder: str) -> dict:
    return json.loads((INDEX / ("%s.json" % folder)).read_text("utf-8"))


class Scripts(unittest.TestCase):
    def test_each_script_expands_to_the_sha_of_its_index(self) -> None:
        for folder in SETS:
            wanted = index_of(folder)["scripts"]
            scripts = load_set(folder)
            self.assertEqual(sorted(scripts), sorted(wanted))
            for name, script in scripts.items():
                with self.subTest(script="%s/%s" % (folder, name)):
                    self.assertEqual(hashlib.sha1(script.lua.encode("utf-8")).hexdigest(), wanted[name]["sha"])
                    self.assertNotRegex(script.lua, r"(?m)^--@include")
                    self.assertNotRegex(script.lua, r"__[A-Z_]+__")

    def test_the_index_names_every_script_of_its_folder(self) -> None:
        for folder in SETS:
            with self.subTest(folder=folder):
                files = [SCRIPT_FILE.fullmatch(f.name) for f in (TREE / folder).iterdir()]
                in_tree = {m.group(1): (int(m.group(2)), m.group(3) == "+") for m in files if m}
                index = {n: (s["keys"], s["variadic"]) for n, s in index_of(folder)["scripts"].items()}
                self.assertEqual(index, in_tree)
                self.assertIn("__STATS_TTL__", index_of(folder)["constants"])

    def test_a_script_that_expands_to_another_sha_is_refused(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            tree = Path(tmp) / "lua"
            for folder in ("includes", "queue"):
                shutil.copytree(str(TREE / folder), str(tree / folder))
            with (tree / "includes" / "dead.lua").open("a", encoding="utf-8") as f:
                f.write("-- one more line\n")
            scripts = ScriptSet("queue", tree=tree)
            with self.assertRaisesRegex(ScriptTreeError, r"fail-10\.lua expands to SHA \w+ here, but queue\.json"):
                scripts.sha("fail")
            # a constant the index changes changes the script too
            index = index_of("queue")
            index["constants"]["__MAX_ERRORS__"] = "26"
            (Path(tmp) / "queue.json").write_text(json.dumps(index), "utf-8")
            with self.assertRaisesRegex(ScriptTreeError, "refusing to run"):
                load_set("queue", TREE, Path(tmp) / "queue.json")

    def test_includes_expand_as_typescript_expands_them(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            tree = Path(tmp)
            (tree / "includes").mkdir()
            (tree / "includes" / "a.lua").write_bytes(b"local a = 1\n")
            (tree / "includes" / "b.lua").write_bytes(b"--@include a\nlocal b = 2\n")
            (tree / "includes" / "c.lua").write_bytes(b"--@include d\n")
            (tree / "includes" / "d.lua").write_bytes(b"--@include c\n")
            # what lib/redis/scripts.ts's expand() makes of each (node: the same sources, the same tree)
            cases = [
                ("--@include b  \n\n  --@include c\nreturn 1\n",
                 "local a = 1\n\nlocal b = 2\n\n  --@include c\nreturn 1\n"),
                ("x = 0\r\n--@include a\r\nreturn 1", "x = 0\r\nlocal a = 1\n\nreturn 1"),
                ("--@include a-b\n--@include  a\n-- --@include a\n--@include a",
                 "--@include a-b\n--@include  a\n-- --@include a\nlocal a = 1\n"),
                ("--@include a\u00a0 \u2028x\n", "local a = 1\n\u2028x\n"),
                ("y\u2028--@include a\tz\r--@include a\r\n\r\n\tx", "y\u2028--@include a\tz\rlocal a = 1\n\n\tx"),
            ]
            for source, expanded in cases:
                with self.subTest(source=source):
                    self.assertEqual(expand(tree, source, set()), expanded)
            for source in ("--@include a\n--@include a\n", "--@include b\n--@include a\n", "--@include c\n"):
                with self.subTest(source=source), self.assertRaisesRegex(ScriptTreeError, "cycle or repeat"):
                    expand(tree, source, set())
            with self.assertRaisesRegex(ScriptTreeError, "cannot read"):
                expand(tree, "--@include missing\n", set())


if __name__ == "__main__":
    unittest.main()
