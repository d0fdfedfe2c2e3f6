"""The package promises Python >= 3.9 (pyproject.toml): every module of it, its tests and the
repository's other Python (the demo's graph processor, the chaos and bench children) must parse
with 3.9's grammar, whatever Python runs this (no match statements,
no parenthesised context managers, no `X | Y` in annotations evaluated at import)."""
import ast
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPO = ROOT.parents[1]


class Python39(unittest.TestCase):
    def test_every_module_parses_as_python_3_9(self) -> None:
        files = sorted(ROOT.glob("requeue/**/*.py")) + sorted(ROOT.glob("tests/*.py"))
        for folder in ("worker/demo", "scripts", "bench"):  # absent where the package is installed alone
            files += sorted((REPO / folder).glob("*.py"))
        self.assertGreater(len(files), 10)
        for f in files:
            with self.subTest(file=f.name):
                tree = ast.parse(f.read_text("utf-8"), str(f), feature_version=(3, 9))
                # annotations are evaluated at import in 3.9: a `|` union there fails at run time
                for node in ast.walk(tree):
                    ann = getattr(node, "annotation", None) or getattr(node, "returns", None)
                    if isinstance(ann, ast.BinOp) and isinstance(ann.op, ast.BitOr):
                        self.fail("%s:%d: X | Y annotation needs Python 3.10" % (f.name, node.lineno))

    def test_the_check_catches_3_10_syntax(self) -> None:
        with self.assertRaises(SyntaxError):
            ast.parse("match x:\n    case 1:\n        pass\n", feature_version=(3, 9))


if __name__ == "__main__":
    unittest.main()
