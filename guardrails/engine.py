"""check_outbound and mask_pii: the pure policy engine (no Django, no database, no network).

`check_outbound(text, context=None, policy=None)` runs the built-in rules (rules.py) plus the
admin-managed phrases carried by a `Policy`, and returns a `Verdict`. The Django side builds the
Policy from the database (policy.py); the offline evaluation uses the built-in default.
"""

import re
from dataclasses import dataclass, field

from guardrails import rules as R
from guardrails.normalize import build_views
from guardrails.triggers import first_words


@dataclass(frozen=True)
class Reason:
    category: str
    rule_id: str
    span: tuple  # (start, end) in the original text
    message: str
    excerpt: str = ""  # the original text of the span, for showing the agent inline; never audited

    @property
    def category_label(self):
        return R.CATEGORY_LABELS.get(self.category, self.category.replace("_", " ").capitalize())


@dataclass(frozen=True)
class Verdict:
    blocked: bool
    reasons: tuple = ()

    @property
    def categories(self):
        return tuple(dict.fromkeys(r.category for r in self.reasons))

    @property
    def rule_ids(self):
        return tuple(dict.fromkeys(r.rule_id for r in self.reasons))


ALLOWED = Verdict(blocked=False, reasons=())


@dataclass(frozen=True)
class PhraseRule:
    """An admin-managed phrase. kind is "blocked" or "allowed"."""

    id: int
    kind: str
    category: str
    phrase: str
    message: str = ""


def _phrase_pattern(phrase):
    words = [w for w in build_views(phrase).words.split(" ") if w and w not in ("|", ",")]
    if not words:
        return None
    return re.compile(r"(?<![^ |,])" + " (?:, )?".join(re.escape(w) for w in words) + r"(?![^ |,])")


@dataclass(frozen=True)
class Policy:
    """What the engine enforces beyond the built-in rules; immutable, so a snapshot can be shared."""

    source_of_income: bool = True
    phrases: tuple = ()
    version: str = "builtin"
    allowed_phones: frozenset = frozenset()
    allowed_emails: frozenset = frozenset()
    _compiled: tuple = field(default=(), compare=False, repr=False)

    @classmethod
    def build(cls, *, source_of_income=True, phrases=(), version="builtin", allowed_phones=(), allowed_emails=()):
        compiled = []
        for phrase in phrases:
            pattern = _phrase_pattern(phrase.phrase)
            if pattern is not None:
                compiled.append((phrase, pattern))
        return cls(
            source_of_income=source_of_income,
            phrases=tuple(phrases),
            version=version,
            allowed_phones=frozenset(re.sub(r"\D", "", p)[-10:] for p in allowed_phones if p),
            allowed_emails=frozenset(e.strip().lower() for e in allowed_emails if e),
            _compiled=tuple(compiled),
        )

    def blocked_phrases(self):
        return tuple((p, pat) for p, pat in self._compiled if p.kind == "blocked")

    def allowed_phrases(self):
        return tuple(pat for p, pat in self._compiled if p.kind == "allowed")


DEFAULT_POLICY = Policy.build()

# Words a spaced-out run ("n o k i d s") may be split into.
LEXICON = frozenset("""
no not only kids kid children child adults adult allowed welcome whites blacks section eight vouchers
voucher families family pregnant men women male female muslims jews jewish christians christian mexicans
immigrants seniors elderly disabled handicapped wheelchairs gays couples singles married preferred please
apply need must be citizens citizen free pets smoking girls boys guys for ideal perfect the a we rent to
dont accept take programs wire zelle venmo bitcoin gift cards card send money pay idiot stupid dumb shut up
you are fuck shit bitch asians hispanics latinos blacks indians arabs foreigners minorities
christian jews muslim seniors students singles couple women men ladies gay gays straight adult under over
wanted welcome needed required allowed pets kid baby babies elderly old young white black
moron morons loser losers idiots jerk clown fool
""".split())

_NEGATORS = frozenset({
    "no", "not", "never", "don't", "dont", "won't", "wont", "cannot", "can't", "cant", "shouldn't", "mustn't",
    "isn't", "aren't", "doesn't", "didn't", "wouldn't", "nobody", "nothing", "neither", "nor", "avoid", "beware",
    "without", "refuse", "stop", "warn", "warning", "careful", "scam", "scams", "fraud", "against", "ignore",
    "disregard", "report",
})
_NEGATION_EXEMPT_NEXT = frozenset({"worry", "worries", "hesitate", "forget", "miss", "problem", "rush", "pressure",
                                   "only", "matter", "doubt", "wait", "delay"})
_DOUBT = frozenset({"check", "ask", "confirm", "whether", "maybe", "might", "possibly", "perhaps", "hopefully",
                    "unsure", "pending", "subject", "depends", "depending", "see", "find", "verify", "request"})
_CONDITION = frozenset({"if", "once", "after", "when", "provided", "assuming", "upon"})


# Clause context never reaches further than this: keeps every finding O(1) on 100 KB texts.
_REACH = 300


def _clause_bounds(words, start, end):
    floor, ceiling = max(0, start - _REACH), min(len(words), end + _REACH)
    left = max(words.rfind(" | ", floor, start), words.rfind(" , ", floor, start))
    left = floor if left < 0 else left + 3
    candidates = [i for i in (words.find(" | ", end, ceiling), words.find(" , ", end, ceiling)) if i >= 0]
    right = min(candidates) if candidates else ceiling
    return left, right


def _sentence_start(words, start):
    floor = max(0, start - _REACH)
    left = words.rfind(" | ", floor, start)
    return floor if left < 0 else left + 3


def _negated_before(words, start, clause_left, max_words=5):
    before = words[clause_left:start].split()
    before = before[-max_words:]
    for index, word in enumerate(before):
        if word in _NEGATORS:
            following = before[index + 1] if index + 1 < len(before) else ""
            if following not in _NEGATION_EXEMPT_NEXT:
                return True
    return False


# Verbs a warning negates: "we never ask for wire transfers, gift cards or Zelle".
_PAYMENT_VERBS = frozenset({"ask", "asks", "asking", "pay", "send", "wire", "use", "accept", "take", "transfer",
                            "deposit", "request", "requests", "requesting", "demanding", "telling", "claiming", "share",
                            "give", "mail", "buy"})
# A new instruction after a pause ends the negation's reach: "don't worry, just Zelle me".
_FRESH_START = re.compile(r", (?:just|and|so|then|but|simply|instead|please|go ahead|now|only)\b")


def _governing_negation(words, start, sentence_left, max_words=14):
    """A negation earlier in the sentence that governs a payment verb ("never ask for ... Zelle").

    "No kids, and Zelle me the deposit" is not negated: the "no" there governs "kids".
    """
    span = words[sentence_left:start]
    fresh_starts = [m.end() for m in _FRESH_START.finditer(span)]
    if fresh_starts:
        span = span[fresh_starts[-1]:]
    before = span.split()[-max_words:]
    for index, word in enumerate(before):
        if word in _NEGATORS and any(w in _PAYMENT_VERBS for w in before[index + 1:index + 4]):
            return True
    return False


def _has_negation(text):
    return any(w in _NEGATORS or w.endswith("n't") for w in text.split())


def _hedged(clause_words, conditional):
    words = set(clause_words.split())
    return bool(words & _DOUBT) or (conditional and bool(words & _CONDITION))


def _matched_class(match):
    for name, value in match.groupdict().items():
        if value is not None and name in R.CLASS_LABELS:
            return name
    return None


def _inside(spans, start, end):
    return any(s <= start and end <= e for s, e in spans)


def _allowed_spans(words, policy):
    spans = []
    tokens = set(words.split(" "))
    for pattern, triggers in _ALLOWED_WITH_TRIGGERS:
        if triggers is not None and triggers[0].isdisjoint(tokens) and not any(p in words for p in triggers[1]):
            continue
        spans.extend(m.span() for m in pattern.finditer(words))
    for pattern in policy.allowed_phrases():
        spans.extend(m.span() for m in pattern.finditer(words))
    return spans


class _Allowed:
    """Spans of honest phrasings, found only once a rule has matched (most replies never need them)."""

    def __init__(self, words, policy):
        self._words, self._policy, self._spans = words, policy, None

    def covers(self, start, end):
        if self._spans is None:
            self._spans = _allowed_spans(self._words, self._policy)
        return _inside(self._spans, start, end)


_ALLOWED_WITH_TRIGGERS = tuple((pattern, first_words(pattern)) for pattern in R.ALLOWED_PATTERNS)


def _accept(rule, match, views, policy, allowed):
    """Whether a raw regex match is a real finding; returns the message to use, or None."""
    text = views.words if rule.view == R.WORDS else views.folded
    if rule.validate is not None and not rule.validate(match, text):
        return None
    if rule.id == "pii.phone_number" and re.sub(r"\D", "", match.group())[-10:] in policy.allowed_phones:
        return None
    if rule.id == "pii.personal_email" and R.email_address(match) in policy.allowed_emails:
        return None
    message = rule.message
    if rule.class_messages:
        klass = _matched_class(match)
        if klass == R.SOI and not policy.source_of_income:
            return None
        message = rule.class_messages.get(klass, rule.message)
    if rule.view != R.WORDS:
        return message
    start, end = match.span()
    left, right = _clause_bounds(text, start, end)
    if rule.negatable and _negated_before(text, start, left):
        return None
    if rule.negatable and rule.category == R.PAYMENT and _governing_negation(text, start, _sentence_start(text, start)):
        return None
    if rule.negation_inside_clears and _has_negation(match.group()):
        return None
    if rule.hedgeable and _hedged(text[left:right], conditional=rule.id == "promise.guaranteed_approval"):
        return None
    if allowed.covers(start, end):
        return None
    return message


def _reason(rule_id, category, message, views, match, view):
    if view == R.WORDS:
        start, end = views.words_span(*match.span())
    else:
        start, end = views.folded_span(*match.span())
    return Reason(category, rule_id, (start, end), message, views.original[start:end])


def _repeats(reasons, reason):
    """Several patterns share a rule id; the same finding over the same words is reported once."""
    start, end = reason.span
    return any(r.rule_id == reason.rule_id and r.span[0] < end and start < r.span[1] for r in reasons)


def _anchored_matches(pattern, text, starts):
    for start in starts:
        match = pattern.match(text, start)
        if match is not None:
            yield match


def _contains_any(text, needles):
    for needle in needles:  # a plain loop: cheaper than any() with a generator for these short tuples
        if needle in text:
            return True
    return False


class _Gates:
    """The cheap checks that let a rule skip a text, with what several rules share worked out once.

    Many rules share a `requires` tuple or a pre-check (a run of digits ...), and the term-anchored
    rules all need the positions of their first words: each is computed once per text.
    """

    def __init__(self, views):
        self._views = views
        self._known = {}
        self._pieces = None
        self._tokens = None
        self._positions = None

    def open(self, rule, target):
        known = self._known
        if rule.requires:
            key = (id(rule.requires), rule.view)  # the tuples live as long as the rules: ids are stable
            found = known.get(key)
            if found is None:
                found = known[key] = _contains_any(target, rule.requires)
            if not found:
                return False
        if rule.precheck is not None:
            key = (id(rule.precheck), rule.view)
            found = known.get(key)
            if found is None:
                found = known[key] = rule.precheck.search(target) is not None
            if not found:
                return False
        if rule.trigger_words is not None:
            tokens = self._tokens if self._tokens is not None else self.tokens()
            if rule.trigger_words.isdisjoint(tokens):
                return bool(rule.trigger_prefixes) and _contains_any(target, rule.trigger_prefixes)
        return True

    def tokens(self):
        if self._tokens is None:
            self._pieces = self._views.pieces()
            self._tokens = {word for word, _ in self._pieces}
        return self._tokens

    def starts(self, rule):
        """Offsets in the words view where one of the rule's first words starts, in text order."""
        self.tokens()
        if rule.trigger_prefixes:
            return [at for word, at in self._pieces if word in rule.trigger_words or word.startswith(rule.trigger_prefixes)]
        if self._positions is None:
            self._positions = {}
            for word, at in self._pieces:
                self._positions.setdefault(word, []).append(at)
        return sorted(at for word in rule.trigger_words & self._tokens for at in self._positions[word])


def check_outbound(text, context=None, policy=None):
    """Check one outbound text. `context` may carry `policy` (a Policy), `allowed_phones`, `allowed_emails`."""
    if not text or not text.strip():
        return ALLOWED
    context = context or {}
    policy = policy or context.get("policy") or DEFAULT_POLICY
    extra_phones = context.get("allowed_phones") or ()
    extra_emails = context.get("allowed_emails") or ()
    if extra_phones or extra_emails:
        policy = Policy.build(
            source_of_income=policy.source_of_income, phrases=policy.phrases, version=policy.version,
            allowed_phones=tuple(policy.allowed_phones) + tuple(extra_phones),
            allowed_emails=tuple(policy.allowed_emails) + tuple(extra_emails),
        )
    views = build_views(text, LEXICON)
    allowed = _Allowed(views.words, policy)
    gates = _Gates(views)
    reasons = []
    for rule in R.ALL_RULES:
        if rule.switch and not getattr(policy, rule.switch, True):
            continue
        target = views.words if rule.view == R.WORDS else views.folded
        if not gates.open(rule, target):
            continue
        if rule.term_anchored and rule.trigger_words is not None:
            # Try the pattern only where one of its first words starts, not at every position.
            matches = _anchored_matches(rule.pattern, target, gates.starts(rule))
        else:
            matches = rule.pattern.finditer(target)
        for match in matches:
            message = _accept(rule, match, views, policy, allowed)
            if message is not None:
                reason = _reason(rule.id, rule.category, message, views, match, rule.view)
                if not _repeats(reasons, reason):
                    reasons.append(reason)
                break
    for phrase, pattern in policy.blocked_phrases():
        for match in pattern.finditer(views.words):
            if not allowed.covers(*match.span()):
                message = phrase.message or f"Blocked by the team's policy phrase “{phrase.phrase}”."
                reasons.append(_reason(f"policy.phrase.{phrase.id}", phrase.category, message, views, match, R.WORDS))
                break
    return Verdict(blocked=bool(reasons), reasons=tuple(reasons))


# ------------------------------------------------------------------------------------------ masking

_NUMBER_CUE = r"(?: (?:number|no\.?|num|#))?\s*(?:is|:|#|-|=)?\s*"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# (label, pattern, group where the masked text starts; it always runs to the end of the match). Earlier
# entries win an overlap. Unlike check_outbound, masking does not ask whose data it is: none of it may leave.
_MASKS = (
    ("[SSN]", re.compile(r"(?<![\d-])\d{3}([- .])\d{2}\1\d{4}(?![\d-])"), 0),
    ("[SSN]", re.compile(R.SPACED_SSN_AFTER_CUE), "a"),
    ("[EMAIL]", re.compile(r"\b[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,253}\.[a-z]{2,24}(?![a-z])"), 0),
    ("[EMAIL]", re.compile(R.OBFUSCATED_EMAIL), 0),
    ("[ACCOUNT]", re.compile(
        rf"\b(?:account|acct|a/c|acc|routing|aba|sort code|bsb|transit)\.?{_NUMBER_CUE}(?:ending in\s*)?(?P<v>\d[\d -]{{3,20}}\d)\b"), "v"),
    ("[ACCOUNT]", re.compile(r"\b[a-z]{2}\d{2}(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,4})?\b"), 0),
    ("[PHONE]", re.compile(r"(?<![\d$.,/])(?:\+?1[ .-]?)?\(?[2-9]\d{2}\)?[ .-]?[2-9]\d{2}[ .-]?\d{4}(?!\d)|(?<![\d$])\+[1-9]\d{0,2}[ .-]?(?:\(0\) ?)?\d{1,4}(?:[ .-]?\d{2,4}){2,4}(?!\d)"), 0),
    ("[PHONE]", re.compile(R.SPACED_PHONE), 0),
    ("[PHONE]", re.compile(R.SPELLED_PHONE), 0),
    # National numbers with a trunk 0 ("07700 900123", "020 7946 0958"); the digit count is checked.
    ("[PHONE]", re.compile(r"(?<![\d$.,/])0\d{2,4}[ .-]?\d{3,4}[ .-]?\d{3,4}(?![\d.,])"), 0),
    ("[SSN]", re.compile(r"\b(?:ssn|ss#|social security(?: number)?)\s*(?:is|:|#)?\s*(?P<v>\d{9})(?!\d)"), "v"),
    ("[ID]", re.compile(
        r"\b(?:passport|(?:driver'?s?|driving) licen[cs]e|licen[cs]e|dl|(?:state |national )?id(?: card)?(?= ?(?:number|no\b|num|#))|"
        rf"identity card|national insurance|ni|nino|green card|alien|a-number|visa){_NUMBER_CUE}(?P<v>[a-z]{{0,3}}[ -]?\d[a-z0-9]*(?:[ -][a-z]{{0,2}}\d[a-z0-9]*)*(?:[ -][a-z]\b)?)"), "v"),
    ("[DOB]", re.compile(
        rf"\b(?:dob|d\.o\.b\.?|date of birth|birth ?date|birthday|born(?: on)?)\s*(?:is|:|-)?\s*(?P<v>\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|"
        rf"(?:\d{{1,2}}(?:st|nd|rd|th)? (?:of )?)?{_MONTH}(?: \d{{1,2}}(?:st|nd|rd|th)?)?,? \d{{4}})"), "v"),
)


def _mask_valid(label, matched):
    if label == "[ACCOUNT]" and re.match(r"^[a-z]{2}\d{2}", matched):
        return R.iban_ok(matched)
    if label == "[PHONE]" and matched.startswith("0"):
        return 10 <= _digit_count(matched) <= 11
    if label == "[ID]":
        return _digit_count(matched) >= 5
    if label == "[EMAIL]" and "@" not in matched:
        return _obfuscated(matched)
    return True


def _digit_count(text):
    return sum(char.isdigit() for char in text)


def _obfuscated(address):
    """ "jen dot park at yahoo dot com", "mark [at] gmail.com": an address; "saw it at zillow.com" is not one."""
    match = re.fullmatch(R.OBFUSCATED_EMAIL, address)
    return bool(re.search(r"\bdot\b|[\[({]", address)) or f"{match['host']}.{match['tld']}" in R.PERSONAL_EMAIL_DOMAINS


def mask_pii(text):
    """Replace SSNs, card numbers, bank details, e-mails, phone numbers, ID numbers and birth dates with
    placeholders, however they are spaced or spelled out. What is left is safe to send to a model provider."""
    if not text:
        return text
    views = build_views(text)
    spans = [(start, end, "[CARD]") for start, end in R.card_spans(views.folded)]
    for label, pattern, group in _MASKS:
        for match in pattern.finditer(views.folded):
            start, end = match.start(group), match.end()
            if not _mask_valid(label, views.folded[start:end]):
                continue
            if any(s < end and start < e for s, e, _ in spans):
                continue
            spans.append((start, end, label))
    out = text
    for start, end, label in sorted(spans, reverse=True):
        o_start, o_end = views.folded_span(start, end)
        out = out[:o_start] + label + out[o_end:]
    return out
