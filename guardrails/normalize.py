"""Evasion-robust views of a text for the guardrail rules, with a way back to the original spans.

Two views are built:
- `folded`: NFKC, case-folded, accents, zero-width and format characters removed, look-alike
  letters (Cyrillic, Greek, small capitals) folded to Latin, typographic quotes and dashes made
  ASCII. Digits and punctuation stay, so numbers, e-mails and template markers can be matched here.
- `words`: the folded text as lowercase words separated by single spaces, with leetspeak folded
  inside words ("k1ds" -> "kids", "$ection" -> "section"), spaced-out letters joined
  ("n o  k i d s" -> "no kids"), and punctuation reduced to two markers: "," for a comma pause and
  "|" for a sentence end. Rules about wording run here.

Everything is linear in the input length: one pass per character and one per token.
"""

import bisect
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
        common = max(set(inner_gaps), key=inner_gaps.count)
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
    if lexicon and _CAMEL.search(text):
        tokens, gaps = _split_camel_case(text, folded_map, tokens, gaps, lexicon)
    if tokens and _SPACED_RUN.search(folded):
        tokens, gaps = _join_spaced_letters(tokens, gaps, lexicon)

    pieces, starts, spans = [], [], []
    offset = 0
    for index, ((token, t_start, t_end), gap) in enumerate(zip(tokens, gaps, strict=True)):
        marker = _gap_marker(gap, at_end=False) if index else None
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
