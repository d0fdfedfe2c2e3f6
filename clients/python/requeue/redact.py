"""Secret redaction: a port of lib/queue/redact.ts, rule for rule (the same bounds). Shared test
vectors (test/vectors/redaction.json) hold both to the same outputs."""
import re
from typing import Callable, List, Match, Tuple, Union

from ._jsre import DOT, S, WS

REDACTED = "[REDACTED]"
REDACT_INPUT_MAX = 8192

SENSITIVE = (
    "(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|access[_-]?token|refresh[_-]?token"
    "|private[_-]?key|client[_-]?secret|auth|authorization|credentials?|session[_-]?id|cookie)"
)
KEY_REST = r"[\w-]{0,64}"
SP = S + "{0,16}"
N = REDACT_INPUT_MAX
V = "{0,%d}" % N
V1 = "{1,%d}" % N
F = re.ASCII
FI = re.ASCII | re.IGNORECASE

Replacement = Union[str, Callable[[Match[str]], str]]


def _g(m: Match[str], i: int) -> str:
    return m.group(i) or ""


# JS has a variable-width lookbehind (?<=\\"[\w-]{1,80}); Python's must be fixed: one per width.
_ESCAPED_KEY_BEHIND = "(?:%s)" % "|".join(r'(?<=\\"[\w-]{%d})' % n for n in range(1, 81))

RULES: List[Tuple["re.Pattern[str]", Replacement]] = [
    (
        re.compile(
            r"-----BEGIN ([A-Z ]{0,32})PRIVATE KEY-----[\s\S]%s?(?:-----END [A-Z ]{0,32}PRIVATE KEY-----|\Z)" % V, F
        ),
        lambda m: "-----BEGIN %sPRIVATE KEY-----%s" % (_g(m, 1), REDACTED),
    ),
    (
        re.compile(
            "|".join(
                r"\b" + t
                for t in [
                    "gh[pousr]_[A-Za-z0-9]{30,%d}" % N,
                    "github_pat_[A-Za-z0-9_]{30,%d}" % N,
                    "xox[abeprs]-[A-Za-z0-9-]{10,%d}" % N,
                    "[rs]k_(?:live|test)_[A-Za-z0-9]{16,%d}" % N,
                    "whsec_[A-Za-z0-9]{16,%d}" % N,
                    "AIza[0-9A-Za-z_-]{35}",
                    "sk-(?:proj-)?[A-Za-z0-9_-]{20,%d}" % N,
                ]
            ),
            F,
        ),
        REDACTED,
    ),
    (re.compile(r"(hooks\.slack\.com/services/)[A-Za-z0-9/_-]%s" % V1, FI), lambda m: _g(m, 1) + REDACTED),
    (
        re.compile(r"\b((?:set-)?cookie|x-api-key|x-auth-token)(%s:%s)[^\r\n]%s" % (SP, SP, V1), FI),
        lambda m: _g(m, 1) + _g(m, 2) + REDACTED,
    ),
    (
        re.compile(
            r"(?<![A-Za-z0-9_-])((?:[A-Za-z0-9_-]{0,64}?-)??)eyJ[A-Za-z0-9_-]{5,%d}\.eyJ[A-Za-z0-9_-]{5,%d}\.[A-Za-z0-9_-]%s"
            % (N, N, V1),
            F,
        ),
        lambda m: _g(m, 1) + REDACTED,
    ),
    (
        re.compile(r"\b(Bearer|Basic|Token)%s{1,16}[A-Za-z0-9._~+/=-]{8,%d}" % (S, N), FI),
        lambda m: "%s %s" % (_g(m, 1), REDACTED),
    ),
    (
        re.compile(r"\b([a-z][a-z0-9+.-]{0,31}://[^%s:/@]{0,256}:)[^%s@/]%s@" % (WS, WS, V1), FI),
        lambda m: "%s%s@" % (_g(m, 1), REDACTED),
    ),
    (re.compile(r"\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b", F), REDACTED),
    (
        re.compile(
            r"""(%s%s["']?%s:%s)(["'])(?:\\.|(?!\2)[^\\])%s(?:\2|\Z)""" % (SENSITIVE, KEY_REST, SP, SP, V),
            FI,
        ),
        lambda m: "%s%s%s%s" % (_g(m, 1), _g(m, 2), REDACTED, _g(m, 2)),
    ),
    (
        re.compile(
            r'(%s%s%s\\"%s:%s\\")(?:(?!\\")%s)%s(\\"|\Z)'
            % (SENSITIVE, _ESCAPED_KEY_BEHIND, KEY_REST, SP, SP, DOT, V),
            FI,
        ),
        lambda m: "%s%s%s" % (_g(m, 1), REDACTED, _g(m, 2) or '\\"'),
    ),
    (
        re.compile(
            r"""(%s%s%s=%s)(\\"(?:(?!\\")%s)%s(?:\\"|\Z)|"[^"]%s(?:"|\Z)|'[^']%s(?:'|\Z)|[^%s&;,'"]%s)"""
            % (SENSITIVE, KEY_REST, SP, SP, DOT, V, V, V, WS, V1),
            FI,
        ),
        lambda m: _g(m, 1) + REDACTED,
    ),
    (
        re.compile(
            r"""(%s%s:[ \t]{0,16})(?!\[REDACTED\]|(?:Bearer|Basic|Token)\b|["'\\])([^%s"',;]%s)"""
            % (SENSITIVE, KEY_REST, WS, V1),
            FI,
        ),
        lambda m: _g(m, 1) + REDACTED,
    ),
    (
        re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])", F),
        lambda m: REDACTED
        if re.search("[A-Z]", m.group(0)) and re.search("[a-z]", m.group(0)) and re.search("[0-9]", m.group(0))
        else m.group(0),
    ),
]


def clip(text: str, max_len: int) -> str:
    """The first ``max_len`` characters of ``text``."""
    return text if len(text) <= max_len else text[:max_len]


def redact(text: str, max_len: int = REDACT_INPUT_MAX) -> str:
    """``text`` with every secret it recognises replaced by [REDACTED]; reads and returns at most ``max_len``."""
    bound = min(max_len, REDACT_INPUT_MAX)
    out = clip(text, bound)
    for pattern, replacement in RULES:
        out = pattern.sub(replacement, out)
    return clip(out, bound)
