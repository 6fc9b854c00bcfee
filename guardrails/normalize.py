"""Evasion-robust views of a text for the guardrail rules, with a way back to the original spans.

Two views are built:
- `folded`: NFKC, case-folded, accents, zero-width and format characters removed, look-alike
  letters (Cyrillic, Greek, small capitals) folded to Latin, typographic quotes and dashes made
  ASCII. Digits and punctuation stay, so numbers, e-mails and template markers can be matched here.
- `words`: the folded text as lowercase words separated by single spaces, with leetspeak folded
  inside words ("k1ds" -> "kids", "$ection" -> "section"), spaced-out letters joined
  ("n o  k i d s" -> "no kids"), and punctuation reduced to two markers: "," for a comma pause and
  "|" for a sentence end. Rules about wording run here. With a lexicon (the rule words), a word
  split around two letters is rejoined ("sh u t up" -> "shut up") and a starred-out one restored
  ("st*pid" -> "stupid"). A dotted abbreviation ("a U.S. citizen") or a word stacked one per line
  ("No\nkids") does not end a sentence.

Everything is linear in the input length: one pass per character and one per token.
"""

import bisect
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

# Look-alikes that NFKC leaves alone. Keys are already case-folded.
_HOMOGLYPHS = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ɡ": "g", "ь": "b", "г": "r", "п": "n", "з": "3",
    "ү": "y", "ӧ": "o", "ԍ": "g",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "γ": "y", "η": "n", "μ": "u", "ω": "w", "ς": "s", "σ": "o", "ϲ": "c",
    "ϳ": "j", "ζ": "z", "λ": "l", "δ": "d",
    # Armenian and Latin extensions that read as plain letters
    "օ": "o", "ս": "u", "հ": "h", "ց": "g", "ı": "i", "ȷ": "j", "ɑ": "a", "ɩ": "i", "ʀ": "r",
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ɢ": "g", "ʜ": "h", "ɪ": "i", "ᴊ": "j",
    "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u",
    "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ɛ": "e", "ɔ": "o", "ø": "o", "đ": "d", "ł": "l",
    "ħ": "h", "ŧ": "t",
    # Punctuation look-alikes
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'",
    "`": "'", "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00a0": " ", "\u2028": "\n", "\u2029": "\n",
}

# Leetspeak, applied only inside words that also contain letters ("4th" and "10am" are exempt).
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l"})
_NUMBER_WITH_SUFFIX = re.compile(r"\d+(?:st|nd|rd|th|am|pm|a|p|k|br|ba|bd|bed|beds|bath|baths|sq|sqft|ft|f|m|min|mins|hr|hrs|x|s|d|b|c)")

# A word: letters/digits with inner apostrophes or leet/masking symbols ("don't", "sh!t", "f**k").
_TOKEN = re.compile(r"[$@]?[^\W_]+(?:[*'@$!|]+[^\W_]+)*[*$%]*")
_SENTENCE_END = re.compile(r"[.!?;:]\s|\n")

_fold_cache: dict[str, str] = {}


def _fold_char(ch):
    folded = _fold_cache.get(ch)
    if folded is not None:
        return folded
    if unicodedata.category(ch) == "Cf" or ch in "\u034f\u180e\ufe0f\ufe0e":
        folded = ""  # zero-width joiners, soft hyphens, BOM, variation selectors
    else:
        nfkc = unicodedata.normalize("NFKC", ch)
        stripped = "".join(c for c in unicodedata.normalize("NFD", nfkc) if not unicodedata.combining(c))
        folded = "".join(_HOMOGLYPHS.get(c, c) for c in stripped.casefold())
        folded = "".join(_HOMOGLYPHS.get(c, c) for c in unicodedata.normalize("NFKC", folded))
    if len(_fold_cache) < 20000:
        _fold_cache[ch] = folded
    return folded


class _FoldTable(dict):
    """str.translate table that folds each new character once; remembers which ones are not 1:1."""

    def __missing__(self, codepoint):
        folded = _fold_char(chr(codepoint))
        if len(folded) != 1:
            _irregular.add(chr(codepoint))
        if len(self) < 20000:
            self[codepoint] = folded
        return folded


_fold_table = _FoldTable({c: chr(c).lower() for c in range(128)})
_irregular: set[str] = set()


def fold(text):
    """Return (folded_text, index_map) where index_map[i] is the original index of folded char i.

    The map is None when every character folds to exactly one (plain ASCII, accents, most
    look-alikes): the folded text then lines up one to one with the original.
    """
    if text.isascii():
        return text.lower(), None
    folded = text.translate(_fold_table)  # C speed; also teaches _irregular about new characters
    if len(folded) == len(text) and _irregular.isdisjoint(text):
        return folded, None
    out = []
    index_map = []
    for i, ch in enumerate(text):
        if ch.isascii():
            out.append(ch.lower())
            index_map.append(i)
            continue
        piece = _fold_char(ch)
        out.append(piece)
        index_map.extend([i] * len(piece))
    return "".join(out), index_map


_HAS_LEET = re.compile(r"[013457@$!|]")
_HAS_LETTER = re.compile(r"[^\W\d_]")
# A run of 3+ single characters separated by short punctuation/space gaps ("n o k i d s", "k.i.d.s").
_SPACED_RUN = re.compile(r"(?<![^\W_])[^\W_](?:[^\w\n]{1,3}[^\W_]){2}(?![^\W_])")


def _leet_fold(token):
    if token.isalpha():  # most words: no digit or symbol to fold, and far cheaper than a regex search
        return token
    if not _HAS_LEET.search(token) or not _HAS_LETTER.search(token):
        return token
    if _NUMBER_WITH_SUFFIX.fullmatch(token):
        return token
    return token.translate(_LEET)


def _strip_token(token, start):
    """Drop masking/leet symbols that are really punctuation at the word's edges ("kids!" -> "kids")."""
    end = start + len(token)
    if token[-1] not in "!|'" and token[0] not in "'!|*":
        return token, start, end
    while token and token[-1] in "!|'":
        token = token[:-1]
        end -= 1
    while token and token[0] in "'!|*":
        token = token[1:]
        start += 1
    return token, start, end


def _gap_marker(gap, at_end):
    if gap == " ":
        return None
    if _SENTENCE_END.search(gap) or (at_end and gap.strip(" \t\"')]}")[:1] in (".", "!", "?")):
        return "|"
    if "," in gap and (gap.endswith((" ", "\t")) or at_end):
        return ","
    return None


def _tok(text, start, end):
    """A token as a plain tuple (text, start in folded, end in folded): cheap on 100 KB inputs."""
    return (text, start, end)


def _join_spaced_letters(tokens, gaps, lexicon):
    """Join runs of 3+ single characters ("n o  k i d s"); a wider or different gap is a word break."""
    result, result_gaps = [], []
    i, n = 0, len(tokens)
    while i < n:
        j = i + 1
        while j < n and len(tokens[i][0]) == 1 and len(tokens[j][0]) == 1 and _is_joinable_gap(gaps[j]):
            j += 1
        run = tokens[i:j]
        if len(run) < 3 or not any(t[0].isalpha() for t in run):
            # Every part of a rejected run is rejected too: pass it through whole (keeps this linear).
            result.extend(run)
            result_gaps.extend(gaps[i:j])
            i = j
            continue
        inner_gaps = gaps[i + 1:j]
        # On a tie ("a u.s. citizen": one space, one dot) the punctuation gap joins letters and the
        # plain space is the word break; sorting first keeps the choice independent of hash order.
        common = max(sorted(set(inner_gaps)), key=lambda gap: (inner_gaps.count(gap), gap != " "))
        words, word = [], [run[0]]
        for tok, gap in zip(run[1:], inner_gaps, strict=True):
            if gap != common:
                words.append(word)
                word = []
            word.append(tok)
        words.append(word)
        for number, letters in enumerate(words):
            for piece in _segment(letters, lexicon):
                result_gaps.append(gaps[i] if not number and piece[1] == run[0][1] else " ")
                result.append(piece)
        i = j
    return result, result_gaps


_CAMEL = re.compile(r"[a-z][A-Z]")
_CAMEL_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def _split_camel_case(text, folded_map, tokens, gaps, lexicon):
    """ "NoKids" -> "no kids", but only when every part is a rule word ("PayPal" stays one word)."""
    out_tokens, out_gaps = [], []
    for (token, start, end), gap in zip(tokens, gaps, strict=True):
        o_start, o_end = (start, end) if folded_map is None else (folded_map[start], folded_map[end - 1] + 1)
        original = text[o_start:o_end]
        parts = _CAMEL_PART.findall(original) if len(original) == len(token) and _CAMEL.search(original) else []
        if len(parts) > 1 and "".join(parts) == original and all(p.lower() in lexicon for p in parts):
            offset = start
            for index, part in enumerate(parts):
                out_tokens.append(_tok(part.lower(), offset, offset + len(part)))
                out_gaps.append(gap if index == 0 else " ")
                offset += len(part)
            continue
        out_tokens.append((token, start, end))
        out_gaps.append(gap)
    return out_tokens, out_gaps


def _join_split_words(tokens, gaps, lexicon):
    """Rejoin a word split around two single letters ("sh u t up", "n o kids", "st u p id").

    Only a pair of single letters next to each other is a candidate (longer runs are joined by
    `_join_spaced_letters`), widened by at most one neighbouring token on each side, and only a join
    that splits cleanly into rule words is kept, so ordinary words stay as they are.
    """
    singles = [i for i, token in enumerate(tokens) if len(token[0]) == 1]
    joins, taken = [], -1
    for i, following in itertools.pairwise(singles):
        if following != i + 1 or i <= taken or not (tokens[i][0].isalpha() and tokens[following][0].isalpha()):
            continue
        if not _is_joinable_gap(gaps[following]):
            continue
        widened = _widest_lexicon_join(tokens, gaps, i, following, lexicon, first_free=taken + 1)
        if widened is not None:
            joins.append(widened)
            taken = widened[1]
    if not joins:
        return tokens, gaps
    result, result_gaps, done = [], [], 0
    for first, last, pieces in joins:
        result.extend(tokens[done:first])
        result_gaps.extend(gaps[done:first])
        for index, piece in enumerate(pieces):
            result.append(piece)
            result_gaps.append(gaps[first] if index == 0 else " ")
        done = last + 1
    result.extend(tokens[done:])
    result_gaps.extend(gaps[done:])
    return result, result_gaps


def _unmask(token, lexicon):
    """The one rule word a starred-out token spells ("st*pid" -> "stupid", "k*ds" -> "kids"), else the token."""
    if token[0] == "*" or token[-1] == "*":
        return token
    found = None
    for word in _words_by_length(lexicon).get(len(token), ()):
        if all(t == w or t == "*" for t, w in zip(token, word, strict=True)):
            if found is not None:
                return token  # ambiguous ("b**t"): leave it as written
            found = word
    return found or token


@functools.lru_cache(maxsize=4)
def _words_by_length(lexicon):
    by_length = {}
    for word in lexicon:
        by_length.setdefault(len(word), []).append(word)
    return by_length


def _is_single_letter(token):
    return len(token[0]) == 1 and token[0].isalpha()


def _widest_lexicon_join(tokens, gaps, first, last, lexicon, first_free=0):
    """(first, last, pieces) for the widest join of tokens[first..last] (+1 neighbour each side) into rule words."""
    left_ok = first > first_free and _is_word_neighbour(tokens[first - 1]) and _is_joinable_gap(gaps[first])
    right_ok = last + 1 < len(tokens) and _is_word_neighbour(tokens[last + 1]) and _is_joinable_gap(gaps[last + 1])
    for extra_left, extra_right in ((1, 1), (1, 0), (0, 1), (0, 0)):
        if (extra_left and not left_ok) or (extra_right and not right_ok):
            continue
        start, end = first - extra_left, last + extra_right
        chars = [(c, t_start + k, t_start + k + 1) for text, t_start, t_end in tokens[start:end + 1]
                 if len(text) == t_end - t_start for k, c in enumerate(text)]
        if len(chars) != sum(len(t[0]) for t in tokens[start:end + 1]):
            continue  # a token whose text does not line up with its span: leave it alone
        joined = _leet_fold("".join(c for c, _, _ in chars))
        parts = _split_by_lexicon(joined, lexicon)
        if parts and any(len(part) > 2 for part in parts):
            pieces, offset = [], 0
            for part in parts:
                pieces.append(_tok(part, chars[offset][1], chars[offset + len(part) - 1][2]))
                offset += len(part)
            return start, end, pieces
    return None


def _is_word_neighbour(token):
    return 1 < len(token[0]) <= 10 and token[0].isalpha()


# Two single characters in a row ("u t", "k 1"): needed by both joins, absent from most replies.
_TWO_SINGLES = re.compile(r"(?<![^\W_])[^\W_][^\w\n]{1,3}[^\W_](?![^\W_])")


def _is_joinable_gap(gap):
    return 0 < len(gap) <= 3 and "\n" not in gap and not any(c.isalnum() for c in gap)


def _segment(letters, lexicon):
    """Turn a run of single letters into one word, or into lexicon words if it splits cleanly."""
    joined = _leet_fold("".join(t[0] for t in letters))
    start, end = letters[0][1], letters[-1][2]
    if lexicon and len(joined) >= 4:
        parts = _split_by_lexicon(joined, lexicon)
        if parts and len(parts) > 1:
            pieces, offset = [], 0
            for part in parts:
                first = letters[offset][1]
                last = letters[offset + len(part) - 1][2]
                pieces.append(_tok(part, first, last))
                offset += len(part)
            return pieces
    return [_tok(joined, start, end)]


def _split_by_lexicon(word, lexicon, max_word=14):
    """Fewest-words split of `word` into lexicon entries (dynamic programming), or None."""
    if len(word) > 60:
        return None
    best = [None] * (len(word) + 1)
    best[0] = []
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - max_word), end):
            if best[start] is not None and word[start:end] in lexicon:
                candidate = best[start] + [word[start:end]]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    return best[len(word)]


@dataclass(frozen=True)
class Normalized:
    original: str
    folded: str
    words: str
    _folded_map: tuple | None
    _word_starts: tuple  # start offset in `words` of each piece
    _piece_spans: tuple  # (start, end) in `folded` of each piece

    def folded_span(self, start, end):
        """Original (start, end) for a span of the folded view."""
        if self._folded_map is None:
            return start, end
        if not self._folded_map:
            return 0, 0
        start = min(start, len(self._folded_map) - 1)
        last = min(max(end - 1, start), len(self._folded_map) - 1)
        return self._folded_map[start], self._folded_map[last] + 1

    def words_span(self, start, end):
        """Original (start, end) for a span of the words view (widened to whole words)."""
        if not self._word_starts:
            return 0, 0
        first = max(0, bisect.bisect_right(self._word_starts, start) - 1)
        last = max(first, bisect.bisect_right(self._word_starts, max(start, end - 1)) - 1)
        f_start = self._piece_spans[first][0]
        f_end = self._piece_spans[last][1]
        return self.folded_span(f_start, f_end)

    def pieces(self):
        """[(word, start offset in `words`)] for every word and marker of the words view."""
        return list(zip(self.words.split(" "), self._word_starts, strict=True)) if self.words else []


# A line this short that runs on into the next one is a word stacked vertically ("No\nkids").
_SHORT_LINE_WORDS = 2
_DOTTED_ABBREVIATION = re.compile(r"(?:^|[^\w.])(?:[a-z]\.)+[a-z]$")
# Dotted abbreviations that end a sentence so rarely that a capital after them is not a new one.
_RUN_ON_ABBREVIATIONS = frozenset({"us", "usa", "uk", "eg", "ie"})


def _is_soft_break(text, folded, folded_map, tokens, gaps, index, last_break):
    """Whether the sentence break before tokens[index] is really a word gap.

    Two cases: a word stacked one or two per line ("Great unit.\nNo\nkids.") and the dot of a
    dotted abbreviation ("a U.S. citizen", "10 a.m. tomorrow").
    """
    gap = gaps[index]
    if gap == ". ":
        previous = tokens[index - 1]
        # Cheap first: a dotted abbreviation has a dot just before its last letter ("u.s").
        if folded[previous[2] - 2:previous[2] - 1] != ".":
            return False
        if not _DOTTED_ABBREVIATION.search(folded[max(0, previous[2] - 8):previous[2]]):
            return False
        return previous[0] in _RUN_ON_ABBREVIATIONS or _first_char(text, folded_map, tokens[index]).islower()
    if "\n" in gap and gap.strip(" \t") == "\n":
        if index - last_break > _SHORT_LINE_WORDS or _line_has_colon(gaps, index):
            return False
        if index + 1 < len(gaps) and gaps[index + 1].startswith(":"):
            return False  # the next line is a "Label: value" line of its own
        next_line_short = _ends_line(gaps, index + 1) or _ends_line(gaps, index + 2)
        return next_line_short or not _first_char(text, folded_map, tokens[index]).isupper()
    return False


def _first_char(text, folded_map, token):
    """The original character a token starts with (case is folded away in the views)."""
    start = token[1]
    return text[start if folded_map is None else folded_map[start]]


def _line_has_colon(gaps, index):
    """Whether the line that ends before tokens[index] is a "Label: value" line."""
    for gap in reversed(gaps[max(0, index - 2 * _SHORT_LINE_WORDS):index]):
        if ":" in gap:
            return True
        if "\n" in gap:
            return False
    return False


def _ends_line(gaps, index):
    return index >= len(gaps) or "\n" in gaps[index] or _SENTENCE_END.search(gaps[index]) is not None


def normalize(text):
    """The words view of `text` as a plain string (for callers that only match wording)."""
    return build_views(text).words


def build_views(text, lexicon=frozenset()):
    """Build the folded and words views of `text`. `lexicon` lets spaced-out runs split into words."""
    folded, folded_map = fold(text)
    tokens, gaps = [], []
    previous_end = 0
    for match in _TOKEN.finditer(folded):
        token, start, end = _strip_token(match.group(), match.start())
        if not token:
            continue
        gaps.append(folded[previous_end:start])
        tokens.append(_tok(token, start, end))
        previous_end = end
    tail_gap = folded[previous_end:]
    if lexicon and "*" in folded:
        tokens = [(_unmask(token, lexicon), start, end) if "*" in token else (token, start, end)
                  for token, start, end in tokens]
    if lexicon and _CAMEL.search(text):
        tokens, gaps = _split_camel_case(text, folded_map, tokens, gaps, lexicon)
    if tokens and _TWO_SINGLES.search(folded):
        if _SPACED_RUN.search(folded):
            tokens, gaps = _join_spaced_letters(tokens, gaps, lexicon)
        if lexicon:
            tokens, gaps = _join_split_words(tokens, gaps, lexicon)

    pieces, starts, spans = [], [], []
    offset = 0
    last_break = 0  # index of the first token after the last sentence marker
    for index, ((token, t_start, t_end), gap) in enumerate(zip(tokens, gaps, strict=True)):
        marker = _gap_marker(gap, at_end=False) if index else None
        if marker == "|":
            if _is_soft_break(text, folded, folded_map, tokens, gaps, index, last_break):
                marker = None
            else:
                last_break = index
        if marker:
            starts.append(offset)
            spans.append((max(t_start - 1, 0), t_start))
            pieces.append(marker)
            offset += 2
        starts.append(offset)
        spans.append((t_start, t_end))
        text_piece = _leet_fold(token)
        pieces.append(text_piece)
        offset += len(text_piece) + 1
    if tokens and _gap_marker(tail_gap, at_end=True) == "|":
        starts.append(offset)
        spans.append((tokens[-1][2], tokens[-1][2] + 1))
        pieces.append("|")
    return Normalized(
        original=text,
        folded=folded,
        words=" ".join(pieces),
        _folded_map=tuple(folded_map) if folded_map is not None else None,
        _word_starts=tuple(starts),
        _piece_spans=tuple(spans),
    )
