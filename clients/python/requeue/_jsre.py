"""JavaScript's regular-expression classes spelt for Python's ``re``, so the ported patterns
(redaction, fingerprints) match what lib/queue's match: JS ``\\s`` is Unicode whitespace, ``.``
stops at four line terminators, ``\\d``/``\\w``/``\\b`` are ASCII (re.ASCII), ``$`` is ``\\Z``."""

WS = "\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
S = "[%s]" % WS
DOT = "[^\n\r\u2028\u2029]"
