"""Which words can start a match of a rule, worked out from the regex itself.

A rule whose first word cannot occur in the text cannot match, so the engine skips it with a set
lookup instead of a regex scan. The words are computed from the parsed pattern, so they never
drift from the rule; when they cannot be worked out (an open class like \\w+ right at the start)
the rule simply always runs.
"""

import re
from re import _constants as C  # Python 3.11+
from re import _parser as P

_SPACE = ord(" ")
_LIMIT = 3000
_REPEATS = tuple(op for op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)) if op is not None)


class _Open(Exception):
    """The first word is not a small finite set."""


class _Words:
    """Open prefixes still being spelled, whole first words (a space followed) and bare prefixes."""

    def __init__(self, open_words):
        self.open = set(open_words)
        self.whole = set()
        self.prefixes = set()

    def absorb(self, other):
        self.whole |= other.whole
        self.prefixes |= other.prefixes

    def stop(self):
        """From here the first word may run on with anything: keep what is spelled as a prefix."""
        self.prefixes |= self.open
        self.open = set()


def _step(items, open_words):
    state = _Words(open_words)
    for op, av in items:
        if not state.open:
            break
        _item(state, op, av)
        if len(state.open) + len(state.whole) + len(state.prefixes) > _LIMIT:
            raise _Open
    return state


def _item(state, op, av):
    if op is C.LITERAL:
        if av == _SPACE:
            state.whole |= state.open
            state.open = set()
        else:
            state.open = {w + chr(av) for w in state.open}
    elif op is C.IN:
        chars = _charset(av)
        if chars is None:
            state.stop()
            return
        if " " in chars:
            state.whole |= state.open
        state.open = {w + c for w in state.open for c in chars if c != " "}
    elif op is C.BRANCH:
        merged = set()
        for branch in av[1]:
            sub = _step(list(branch), state.open)
            merged |= sub.open
            state.absorb(sub)
        state.open = merged
    elif op is C.SUBPATTERN:
        sub = _step(list(av[-1]), state.open)
        state.absorb(sub)
        state.open = sub.open
    elif op in _REPEATS:
        _repeat(state, *av)
    elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return  # zero width: ignoring it only widens the set
    else:
        state.stop()  # \w, \d, ., [^...]: anything may follow


def _repeat(state, low, high, body):
    collected = set(state.open) if low == 0 else set()
    current = state.open
    for count in range(1, (high if high <= 3 else 1) + 1):
        sub = _step(list(body), current)
        state.absorb(sub)
        current = sub.open
        if count >= low:
            collected |= current
        if not current:
            break
    if high > 3 and current:
        state.prefixes |= current  # more repetitions could follow: only a prefix is known
    state.open = collected


def _charset(items):
    chars = []
    for op, av in items:
        if op is C.LITERAL:
            chars.append(chr(av))
        elif op is C.RANGE and av[1] - av[0] < 12:
            chars.extend(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
    return chars


def first_words(pattern):
    """(whole_words, prefixes): one of them must occur for `pattern` to match; None if unknown.

    whole_words are first words the pattern follows with a space, so (for a pattern anchored at a
    word start) they must be whole words of the text; prefixes may run on into more characters.
    """
    source = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    try:
        state = _step(list(P.parse(source)), {""})
    except (_Open, RecursionError):
        return None
    state.stop()
    if "" in state.whole or "" in state.prefixes or not (state.whole or state.prefixes):
        return None
    return frozenset(state.whole), _minimal(state.prefixes)


def _minimal(prefixes):
    """Drop prefixes that start with a shorter kept one: finding the longer implies finding the shorter."""
    kept = []
    for prefix in sorted(prefixes):
        if not kept or not prefix.startswith(kept[-1]):
            kept.append(prefix)
    return tuple(kept)
