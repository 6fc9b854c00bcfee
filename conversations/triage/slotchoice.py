"""Which of the offered slots a lead chose, read from natural language in the conversation's time zone.

The lead's own words (quoted earlier messages and signatures cut off, spelled-out times turned into
digits) are cut into clauses (at commas, "but", sentence ends ...). Each clause yields at most one
*reference*: a set of constraints (weekday, calendar date, time of day, part of day, start-time bound,
ordinal position) plus a polarity ("not Saturday", "Saturday is tough" are negative). A slot satisfies
a reference when it meets every constraint in it. Negative references veto slots; the slot that
satisfies the most positive references wins if it is the only one with that score. Handles "Sat at 2",
"option 2", "the Tuesday one", "Dec 5 at 2", "11am Sat", "Monday evening", "not Saturday but Monday
works", "the second one", "first works", "1/10 4pm", "after 5", "Sunday at two", "saturdy",
"tomorrow morning" (with a reference instant).

`choose_slot(...)` reads a pick among offered slots; `preferred_slots(...)` filters slot candidates by
the times a lead asked for; `strip_quoted(text)` is the lead's own words.
"""

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from guardrails.inbound import prepare, strip_quoted

_WEEKDAYS = {
    "mon": 0, "monday": 0, "mondays": 0,
    "tue": 1, "tues": 1, "tuesday": 1, "tuesdays": 1,
    "wed": 2, "weds": 2, "wednesday": 2, "wednesdays": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "thursdays": 3,
    "fri": 4, "friday": 4, "fridays": 4,
    "sat": 5, "saturday": 5, "saturdays": 5,
    "sun": 6, "sunday": 6, "sundays": 6,
}  # fmt: skip
_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_ORDINAL_WORDS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
}
_PARTS_OF_DAY = {
    "morning": (5, 12), "mornings": (5, 12), "am": (0, 12),
    "afternoon": (12, 17), "afternoons": (12, 17), "lunch": (11, 14), "lunchtime": (11, 14), "midday": (11, 14),
    "evening": (17, 23), "evenings": (17, 23), "night": (18, 24), "tonight": (17, 24), "after work": (17, 23),
}  # fmt: skip

_WEEKDAY_RX = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_MONTH_RX = "|".join(sorted(_MONTHS, key=len, reverse=True))

# Also: an emoji or "anyway" closes one thought ("wouldn't start 🙄 anyway Saturday works"), and "so"
# before a new subject or noun phrase starts a consequence ("8am is a bit early so the evening one").
_CLAUSE_BREAK = re.compile(
    r"[,;.!?\n()\u2600-\u27bf\U0001f300-\U0001faff]+|\s-\s|\s(?:(?:but|however|though|although|instead|except|and then)\s"
    r"|(?:anyways?|anyhow)\b|so\s(?=(?:the|i|i'll|i'd|we|we'll|let's|lets|that|it|maybe|how about|what about|can|could"
    r"|would)\b))"
)
# "Saturday works, but only if it's the afternoon": a condition narrows the clause before it.
_CONDITION = re.compile(r"^(?:(?:but )?only |just )?(?:if|as long as|so long as|provided(?: that)?|assuming)\b")
_NEGATION = re.compile(
    r"\b(?:not(?! (?:a problem|sure|bad))|no(?!\.? ?\d| problem| worries| rush)|never|can't(?! wait)|cant(?! wait)|"
    r"cannot(?! wait)|can not|couldn't|won't|wouldn't|don't|dont|doesn't|isn't|aren't|"
    r"unable|busy|unavailable|impossible|neither|nor|without|except|other than|rather not|i(?:'m| am) working|"
    r"tough|hard|difficult|tricky|bad|terrible|rough|is out|are out|out for me|no good|won't do|"
    r"(?:too|a bit|a little|bit|kind of|kinda|rather|pretty|quite|way) (?:early|late|soon)|"
    r"away|out of town|travel\w*|not around|tied up|booked up|swamped|"
    r"i work|at work)\b"
)
_REJECT_ALL = re.compile(
    r"\b(?:none of (?:these|those|them|the|your)|neither (?:of|works|one)|not any of|no good|"
    r"(?:these|those|they|them) (?:all )?(?:don't|do not|won't|dont) work|(?:can't|cannot|can not) do any)\b"
)
# "can't do Saturday but the other two work": the slots the message has not ruled out.
_THE_OTHERS = re.compile(
    r"\b(?:the other (?:two|three|four|ones?|times?|slots?|options?|days?)|(?:both|all) (?:of )?the others?|the rest)\b"
)

_DATE_MONTH_FIRST = re.compile(rf"\b({_MONTH_RX})\.? (\d{{1,2}})(?:st|nd|rd|th)?\b")
_DATE_DAY_FIRST = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({_MONTH_RX})\b")
_DATE_NUMERIC = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/\d{2,4})?(?![\d/])")
_DAY_OF_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b(?! (?:one|option|slot|choice|time))")
_NUMBERED_ORDINAL = re.compile(r"\b([1-5])(?:st|nd|rd|th)\b")
_TIME_AMPM = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))? ?(a\.?m\.?|p\.?m\.?|a|p)(?![a-z])")
_TIME_COLON = re.compile(r"\b(\d{1,2}):(\d{2})\b")
_TIME_AFTER_WORD = re.compile(
    r"(?:\b(?:at|@|around|by|from|til|till|until|about)|@) ?(\d{1,2})\b(?! ?(?:people|persons|of|st|nd|rd|th|/))"
)
_TIME_OCLOCK = re.compile(r"\b(\d{1,2}) ?o'? ?clock\b")
_NOON = re.compile(r"\b(noon|midday|midnight)\b")
_WEEKDAY = re.compile(rf"\b({_WEEKDAY_RX})\b")
_WEEKDAY_THEN_NUMBER = re.compile(
    rf"\b(?:{_WEEKDAY_RX}) (\d{{1,2}})\b(?!(?:st|nd|rd|th|/| ?(?:am|pm|a|p)\b))"
)
_WEEKEND = re.compile(r"\b(?:weekend|weekends|sat(?:urday)? ?(?:or|and|/) ?sun(?:day)?)\b")
_WEEKDAYS_WORD = re.compile(r"\b(?:weekday|weekdays|during the week)\b")
_PART_OF_DAY = re.compile(
    r"\b(mornings?|afternoons?|evenings?|night|tonight|lunch(?:time)?|midday|after work)\b"
)
_RELATIVE_DAY = re.compile(r"\b(today|tonight|tomorrow|tmrw|tmr|day after tomorrow)\b")
# "after 5", "I get off work at 5", "before noon": a bound on the start time, not a time to match.
_BOUND_AFTER = re.compile(
    r"\b(?:after|past|later than|get off(?: work)?(?: at)?|off (?:work|shift|my shift)(?: at| by)?|finish(?:ed)?(?: work)?(?: at)?|"
    r"done(?: with work)?(?: at)?|free from|from) ?(\d{1,2}|noon)(?:[:.](\d{2}))? ?(a\.?m\.?|p\.?m\.?|a|p)?(?![\w:/])"
)
_BOUND_BEFORE = re.compile(
    r"\b(?:before|until|till|til|earlier than|no later than) ?(\d{1,2}|noon)(?:[:.](\d{2}))? ?(a\.?m\.?|p\.?m\.?|a|p)?(?![\w:/])"
)
_WORD = re.compile(r"[a-z]{5,10}")
_BARE_HOUR = re.compile(
    r"(?<![\d:/$#.,])\b(\d{1,2})\b(?![:/.,]?\d| ?(?:st|nd|rd|th|people|persons|of|min|mins|minutes|hours?|hrs?|days?|"
    r"weeks?|months?|years?|%|k\b|bed|br|bath|rooms?|questions?))"
)
_HOUR_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_MINUTE_WORDS = {"fifteen": 15, "thirty": 30, "forty-five": 45, "forty five": 45, "oh five": 5}
_HOUR_WORD_RX = "|".join(_HOUR_WORDS)
_MINUTE_WORD_RX = "|".join(_MINUTE_WORDS)
# "at four", "four thirty", "three pm", "half past three" -> digits.
_SPELLED_AFTER_WORD = re.compile(
    rf"\b(at|around|about|after|before|till|until|from|@) ({_HOUR_WORD_RX})(?: ({_MINUTE_WORD_RX}))?\b"
)
_SPELLED_WITH_MARKER = re.compile(
    rf"\b({_HOUR_WORD_RX})(?: ({_MINUTE_WORD_RX}))? ?(am|pm|a\.m\.|p\.m\.|o'?clock)"
)
_SPELLED_WITH_MINUTES = re.compile(rf"\b({_HOUR_WORD_RX}) ({_MINUTE_WORD_RX})\b")
_HALF_PAST = re.compile(rf"\b(half|quarter) past ({_HOUR_WORD_RX}|\d{{1,2}})\b")


# "the first works but the second is better": a comparative or stated preference outweighs a clause
# that only accepts a slot.
_PREFERENCE = re.compile(
    r"\b(?:better|best|prefer\w*|ideal|ideally|easier|easiest|rather|favou?rite|more convenient|most convenient)\b"
)
# "Saturday is better than Thursday", "Monday rather than Saturday", "Sunday instead of Saturday": what
# follows the comparison is the time turned down, read as "Saturday is better, not Thursday".
_COMPARED_AWAY = re.compile(
    r"\b(?:(better|easier|sooner|more convenient|preferable|rather) (?:than|to)|instead of)\b"
)
_ASKS_FOR_OTHER = re.compile(r"\b(?:something|anything|instead|another|other|different|else)\b")
_FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_ORDINAL_MARKED = re.compile(
    r"(?:\b(?:option|opt|choice|slot|number|no\.?|num)|#) ?(\d|one|two|three|four|five)\b(?! (?:of|or|and|people|more))"
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_ORDINAL_WORD = re.compile(
    r"\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last|final|earliest|soonest|latest|middle|"
    r"later one|earlier one|later slot|earlier slot|earlier of (?:the|those|these) (?:two|ones|\w+ ones)"
    r"|later of (?:the|those|these) (?:two|ones|\w+ ones))\b"
    r"(?! (?:thing|time (?:renting|seeing|looking|moving)|of (?:all|the month|" + _MONTH_RX + r")))"
)
_ORDINAL_CONTEXT = re.compile(
    r"\b(?:one|option|slot|choice|time|works?|is|please|pls|then|for me|sounds|fine|good|ok|okay)\b"
)
# "whichever is earliest": the ordinal names the pick.
_WHICHEVER = re.compile(r"\bwhich ?ever(?: one| time| slot)? (?:is|comes|works out) (?:the )?$")
_BARE_NUMBER_MESSAGE = re.compile(
    r"^(?:(?:i'?ll |i will |let'?s |lets |can i |could i |i'd like |i would like )?(?:take|go with|do|choose|pick|"
    r"book|have)? ?(?:the |option |number |#|no\.? )?)(\d)(?:\)|\.)? ?(?:one|option|slot)? ?"
    r"(?:(?:please|pls|plz|works?|is (?:good|fine|great|perfect|best|ideal)|would (?:be )?(?:good|great|work|"
    r"be perfect|be best)|(?:is )?(?:good |great |best )?for (?:me|us)|thanks|thank you|sounds good|then)\W*){0,3}$"
)
# One time proposed ("Thursday 6pm - does that work?"): a bare yes picks it.
_ASSENT_ALONE = re.compile(
    r"^(?:(?:ok|okay|okie|k|kk|yes|yeah|yea|yep|yup|ya|sure(?: thing)?|absolutely|definitely|will do|perfect|great|good|fine|deal|confirmed|works|that works"
    r"|it works|works for me|that'?s fine|that'?s good|sounds good|sounds great|book it|let'?s do it|let'?s do that"
    r"|see (?:you|u|ya) (?:then|there|soon)|i'?ll be there|book me(?: in)?)(?: please| pls| plz| thanks| thank you| thx| ty| for me| then)?[\s.,!]*"
    r"|[\U0001F44D\U0001F44C\u2705][\U0001F3FB-\U0001F3FF]?\s*)+$"
)


def _digits_for_spelled_times(message):
    def clock(hour_word, minute_word=None):
        hour = _HOUR_WORDS.get(hour_word) or int(hour_word)
        minute = _MINUTE_WORDS.get(minute_word, 0) if minute_word else 0
        return f"{hour}:{minute:02d}" if minute else str(hour)

    message = _HALF_PAST.sub(
        lambda m: clock(m.group(2)) + (":30" if m.group(1) == "half" else ":15"), message
    )
    message = _SPELLED_WITH_MARKER.sub(lambda m: f"{clock(m.group(1), m.group(2))} {m.group(3)}", message)
    message = _SPELLED_AFTER_WORD.sub(lambda m: f"{m.group(1)} {clock(m.group(2), m.group(3))}", message)
    return _SPELLED_WITH_MINUTES.sub(lambda m: _as_colon(clock(m.group(1), m.group(2))), message)


def _as_colon(text):
    return text if ":" in text else f"{text}:00"


@dataclass(frozen=True)
class Reference:
    positive: bool
    weekdays: frozenset = frozenset()
    dates: frozenset = frozenset()  # (month, day) pairs, or (None, day) when only the day of month is known
    times: frozenset = frozenset()  # (hour, minute) candidates (an hour without am/pm gives two)
    after: int | None = None  # the slot must start at or after this minute of the day
    before: int | None = None  # the slot must start before this minute of the day
    hours: tuple | None = None  # part of day: (start hour, end hour)
    ordinal: int | None = None  # 1-based position, or -1 for "last", 0 for "earliest", -2 for "latest"
    weight: int = 1  # 2 when the clause states a preference ("... is better")
    others: bool = False  # "the other two": the slots the message has not ruled out

    @property
    def empty(self):
        return not (
            self.weekdays
            or self.dates
            or self.times
            or self.hours
            or self.ordinal is not None
            or self.after is not None
            or self.before is not None
            or self.others
        )


@dataclass(frozen=True)
class SlotChoice:
    index: int | None  # 1-based into the offered slots, when exactly one slot was chosen
    candidates: tuple = ()  # 1-based indices tied for the best positive match (ambiguity when > 1)
    vetoed: frozenset = frozenset()  # 1-based indices the lead ruled out
    mentions_time: bool = False  # the message refers to any day, date, time or position
    unmatched: bool = False  # a positive reference fits none of the offered slots ("could you do Wednesday?")
    rejects_all: bool = False  # "none of these work"
    references: tuple = field(default=(), repr=False)


def _hour_candidates(hour, minute):
    if hour > 23 or minute > 59:
        return set()
    if hour == 0 or hour > 12:
        return {(hour, minute)}
    return {(hour % 12, minute), (hour % 12 + 12, minute)}


def _ampm_time(hour, minute, marker):
    if hour < 1 or hour > 12 or minute > 59:
        return set()
    hour %= 12
    if marker.startswith("p"):
        hour += 12
    return {(hour, minute)}


def _clause_times(clause):
    times = set()
    spans = []
    for match in _TIME_AMPM.finditer(clause):
        times |= _ampm_time(int(match.group(1)), int(match.group(2) or 0), match.group(3))
        spans.append(match.span())

    def free(match):
        return not any(start <= match.start() < end for start, end in spans)

    for match in _TIME_COLON.finditer(clause):
        if free(match):
            times |= _hour_candidates(int(match.group(1)), int(match.group(2)))
            spans.append(match.span())
    for rx in (_TIME_OCLOCK, _TIME_AFTER_WORD, _WEEKDAY_THEN_NUMBER):
        for match in rx.finditer(clause):
            if free(match) and 1 <= int(match.group(1)) <= 12:
                times |= _hour_candidates(int(match.group(1)), 0)
                spans.append(match.span())
    for match in _NOON.finditer(clause):
        times.add((0, 0) if match.group(1) == "midnight" else (12, 0))
    return times


def _without_dates(clause):
    for rx in (_DATE_MONTH_FIRST, _DATE_DAY_FIRST, _DATE_NUMERIC):
        clause = rx.sub(" ", clause)
    return clause


def _clause_dates(clause, now_local):
    dates = set()
    for match in _DATE_MONTH_FIRST.finditer(clause):
        dates.add((_MONTHS[match.group(1)], int(match.group(2))))
    for match in _DATE_DAY_FIRST.finditer(clause):
        dates.add((_MONTHS[match.group(2)], int(match.group(1))))
    for match in _DATE_NUMERIC.finditer(clause):
        first, second = int(match.group(1)), int(match.group(2))
        # US month/day first; day/month too (UK-style leads), offered slots rarely fit both.
        for month, day in ((first, second), (second, first)):
            if 1 <= month <= 12 and 1 <= day <= 31:
                dates.add((month, day))
    if not dates:
        for match in _DAY_OF_MONTH.finditer(clause):
            if 1 <= int(match.group(1)) <= 31:
                dates.add((None, int(match.group(1))))
    if now_local is not None:
        for match in _RELATIVE_DAY.finditer(clause):
            offset = {"today": 0, "tonight": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1, "day after tomorrow": 2}
            day = now_local.date() + dt.timedelta(days=offset[match.group(1)])
            dates.add((day.month, day.day))
    return dates


def _clause_ordinal(clause, slot_count, whole_message):
    match = _ORDINAL_MARKED.search(clause)
    if match:
        return _NUMBER_WORDS.get(match.group(1)) or int(match.group(1))
    # A bare number is a position only in a short message: "2", "2 please", "#2 works, thanks".
    if len(whole_message.split()) <= 8:
        bare = _BARE_NUMBER_MESSAGE.match(clause.strip(" .!?"))
        if bare and 1 <= int(bare.group(1)) <= max(slot_count, 1):
            return int(bare.group(1))
    match = _ORDINAL_WORD.search(clause)
    if not match:
        return None
    short = len(clause.split()) <= 6
    in_context = (
        " " in match.group(1)  # "the later one", "the earlier of the two" carry their own noun
        or _ORDINAL_CONTEXT.search(clause[match.end() : match.end() + 12])
        or _WHICHEVER.search(clause[: match.start()])
    )
    if not (short or in_context):
        return None
    word = match.group(1).split()[0]
    if word == "middle":
        return (slot_count + 1) // 2 if slot_count % 2 == 1 else None
    relative = {"last": -1, "final": -1, "earliest": 0, "soonest": 0, "earlier": 0, "latest": -2, "later": -2}
    return relative.get(word, _ORDINAL_WORDS.get(word))


def _bound_minutes(match):
    if match.group(1) == "noon":
        return 12 * 60
    hour, minute, marker = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if hour > 23 or minute > 59:
        return None
    if marker:
        hour = hour % 12 + (12 if marker.startswith("p") else 0)
    elif 1 <= hour <= 7:
        hour += 12  # "after 5" at a showing means the afternoon
    return hour * 60 + minute


def _bounds(clause):
    """(after, before, clause without the bound phrases)."""
    after = before = None
    for rx in (_BOUND_AFTER, _BOUND_BEFORE):
        match = rx.search(clause)
        if match and (minutes := _bound_minutes(match)) is not None:
            if rx is _BOUND_AFTER:
                after = minutes
            else:
                before = minutes
            clause = clause[: match.start()] + " " + clause[match.end() :]
    return after, before, clause


def _edit_distance(a, b):
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


_ORDINAL_SPELLINGS = ("first", "second", "third", "fourth", "fifth")
# A word just before "one"/"option"/"slot" is where an ordinal stands ("the thrid option").
_BEFORE_POSITION_NOUN = re.compile(r"\b([a-z]{4,7})(?= (?:one|option|slot|choice)\b)")


def _transposition_distance(a, b):
    """Edit distance that counts swapping two neighbouring letters as one edit ("thrid", "frist")."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


def _corrected_ordinals(message):
    """ "thrid option", "secnod one", "forth one": a one-edit misspelling of an ordinal in its usual place."""

    def correct(match):
        word = match.group(1)
        if word in _ORDINAL_WORDS:
            return word
        for ordinal in _ORDINAL_SPELLINGS:
            if word[0] == ordinal[0] and _transposition_distance(word, ordinal) == 1:
                return ordinal
        return word

    return _BEFORE_POSITION_NOUN.sub(correct, message)


def _misspelled_weekdays(clause):
    """ "saturdy", "wendsday", "thrusday": one edit for six-letter names, two for longer ones."""
    found = set()
    for word in _WORD.findall(clause):
        if word in _WEEKDAYS:
            continue
        for number, name in enumerate(_FULL_WEEKDAYS):
            if word[:2] == name[:2] and _edit_distance(word, name) <= (1 if len(name) <= 6 else 2):
                found.add(number)
    return found


def _reference(clause, slot_count, whole_message, now_local, slot_days=frozenset()):
    after, before, clause = _bounds(clause)
    weekdays = {_WEEKDAYS[m.group(1)] for m in _WEEKDAY.finditer(clause)} | _misspelled_weekdays(clause)
    if _WEEKEND.search(clause):
        weekdays |= {5, 6}
    if _WEEKDAYS_WORD.search(clause):
        weekdays |= {0, 1, 2, 3, 4}
    hours = None
    part = _PART_OF_DAY.search(clause)
    if part:
        hours = _PARTS_OF_DAY[part.group(1)]
    # Digits inside a date ("Oct 2", "5/12") are never an hour.
    times = _clause_times(_without_dates(clause))
    # "at 2" in a clause that names the afternoon or evening means 14:00, never 02:00.
    if hours and times:
        times = {t for t in times if hours[0] <= t[0] < hours[1]} or times
    ordinal = _clause_ordinal(clause, slot_count, whole_message)
    dates = _clause_dates(clause, now_local)
    numbered = _NUMBERED_ORDINAL.search(clause)
    if numbered and ordinal == int(numbered.group(1)) and any(day == ordinal for _, day in dates):
        # "June 5th" is a date; "the 3rd" is a date when an offered slot falls on that day, else a position.
        if (None, ordinal) not in dates or ordinal in slot_days or ordinal > max(slot_count, 1):
            ordinal = None
        else:
            dates.discard((None, int(numbered.group(1))))
    if (
        not times
        and not dates
        and ordinal is None
        and after is None
        and before is None
        and len(whole_message.split()) <= 6
    ):
        # "Is 6 ok?", "6 works": in a short answer a lone number that is no position is an hour.
        bare = _BARE_HOUR.search(clause)
        if bare and 1 <= int(bare.group(1)) <= 12:
            times = _hour_candidates(int(bare.group(1)), 0)
    positive = not _NEGATION.search(clause)
    return Reference(
        positive=positive,
        weekdays=frozenset(weekdays),
        dates=frozenset(dates),
        times=frozenset(times),
        after=after,
        before=before,
        hours=hours,
        ordinal=ordinal,
        others=("other" in clause or "the rest" in clause) and bool(_THE_OTHERS.search(clause)),
    )


def _local(moment, tz):
    return moment.astimezone(tz)


def _ordinal_index(ordinal, starts):
    count = len(starts)
    if ordinal == -1:
        return count
    if ordinal == 0:
        return 1 + min(range(count), key=lambda i: starts[i])
    if ordinal == -2:
        return 1 + max(range(count), key=lambda i: starts[i])
    return ordinal


def _satisfies(ref, index, start, end, starts):
    if ref.ordinal is not None and _ordinal_index(ref.ordinal, starts) != index:
        return False
    if ref.weekdays and start.weekday() not in ref.weekdays:
        return False
    if ref.dates and not any(
        day == start.day and (month is None or month == start.month) for month, day in ref.dates
    ):
        return False
    if ref.hours and not (ref.hours[0] <= start.hour < ref.hours[1]):
        return False
    start_of_slot = start.hour * 60 + start.minute
    if ref.after is not None and start_of_slot < ref.after:
        return False
    if ref.before is not None and start_of_slot >= ref.before:
        return False
    if ref.times:
        start_minutes = start.hour * 60 + start.minute
        end_minutes = start_minutes + max(int((end - start).total_seconds() // 60), 1)
        if not any(start_minutes <= h * 60 + m < end_minutes for h, m in ref.times):
            return False
    return True


# Picks in Spanish, French, Portuguese and Chinese ("el sábado a las 11", "Samedi 11h", "quarta às 18h",
# "周五早上9点半") are read as the English words they stand for; the rest of the reader is unchanged.
_FOREIGN_DAYS = {
    "lunes": "monday", "martes": "tuesday", "miércoles": "wednesday", "miercoles": "wednesday", "jueves": "thursday",
    "viernes": "friday", "sábado": "saturday", "sabado": "saturday", "domingo": "sunday",
    "lundi": "monday", "mardi": "tuesday", "mercredi": "wednesday", "jeudi": "thursday", "vendredi": "friday",
    "samedi": "saturday", "dimanche": "sunday",
    "segunda-feira": "monday", "terça-feira": "tuesday", "terca-feira": "tuesday", "terça": "tuesday", "terca": "tuesday",
    "quarta-feira": "wednesday", "quarta": "wednesday", "quinta-feira": "thursday", "quinta": "thursday",
    "sexta-feira": "friday", "sexta": "friday",
}  # fmt: skip
_FOREIGN_DAY = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(_FOREIGN_DAYS, key=len, reverse=True)) + r")(?![\w-])")
# "segunda" alone is Monday only when a time or "feira" goes with it; "a segunda opção" is the second one.
_SEGUNDA = re.compile(r"(?<!\w)segunda(?= (?:às|as|a las|de manhã|à tarde|à noite|\d))")
_H_TIME = re.compile(r"(?<![\w:])(\d{1,2}) ?h ?(\d{2})?(?!\w)")
_AT_WORDS = re.compile(r"(?<!\w)(?:às|a las|a la|à)(?= \d)")
_ZH_DAYS = {"一": "monday", "二": "tuesday", "三": "wednesday", "四": "thursday", "五": "friday", "六": "saturday",
            "日": "sunday", "天": "sunday"}  # fmt: skip
_ZH_DAY = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")
_ZH_TIME = re.compile(r"(早上|上午|中午|下午|晚上)?(\d{1,2})点(半|(\d{1,2})分?)?")
_ZH_PART = {"早上": "am", "上午": "am", "中午": "pm", "下午": "pm", "晚上": "pm"}


def _zh_time(match):
    hour, minute = int(match.group(2)), 30 if match.group(3) == "半" else int(match.group(4) or 0)
    marker = _ZH_PART.get(match.group(1) or "", "")
    if marker == "pm" and hour == 12:
        marker = ""
    return f" {hour}:{minute:02d} {marker} "


def _in_english(message):
    if _ZH_DAY.search(message) or "点" in message:
        message = _ZH_DAY.sub(lambda m: f" {_ZH_DAYS[m.group(1)]} ", message)
        message = _ZH_TIME.sub(_zh_time, message)
    message = _SEGUNDA.sub("monday", message)
    message = _FOREIGN_DAY.sub(lambda m: _FOREIGN_DAYS[m.group()], message)
    message = _H_TIME.sub(lambda m: f"{m.group(1)}:{m.group(2) or '00'}", message)
    return _AT_WORDS.sub("at", message)


_FOREIGN_HINT = re.compile(r"[à-ÿ]|\d ?h(?:\d\d)?\b|[\u4e00-\u9fff]|\b(?:" + "|".join(_FOREIGN_DAYS) + r"|segunda)\b")

# "6.30pm", "at 6.30": a dotted time, which the clause splitter would otherwise cut at its dot.
_DOTTED_TIME = re.compile(r"(?<![\d$£€.])(\d{1,2})\.(\d{2})(?= ?(?:am|pm|a\.m|p\.m)\b)|(?<=at )(\d{1,2})\.(\d{2})\b", re.I)

# "10ish" is 10; "930" alone is 9:30.
_ISH = re.compile(r"\b(\d{1,2}(?::\d\d)?) ?-?ish\b", re.I)
_COMPACT_TIME = re.compile(r"^\s*(1[0-2]|[1-9])([0-5]\d)\s*(?:pls|please|works|ok)?[\s.!]*$", re.I)

# "2️⃣": a keycap emoji is its digit.
_KEYCAP = re.compile("([0-9])\ufe0f?\u20e3")


def _read_references(text, slots, tz, now, max_chars):
    text = _KEYCAP.sub(r"\1", text) if "\u20e3" in text else text
    text = _DOTTED_TIME.sub(lambda m: ":".join(g for g in m.groups() if g), text) if "." in text else text
    text = _ISH.sub(r"\1", text) if "ish" in text else text
    text = _COMPACT_TIME.sub(lambda m: f"{m.group(1)}:{m.group(2)}", text)
    message = _digits_for_spelled_times(prepare(strip_quoted(text[: max_chars * 4]))[:max_chars].strip())
    if _FOREIGN_HINT.search(message):
        message = _in_english(message)
    if any(noun in message for noun in (" one", " option", " slot", " choice")):
        message = _corrected_ordinals(message)
    if " than " in message or "instead of" in message or "preferable to" in message:
        message = _COMPARED_AWAY.sub(lambda m: f"{m.group(1) or ''}, not", message)
    now_local = now.astimezone(tz) if now is not None else None
    slot_days = frozenset(_local(slot.starts_at, tz).day for slot in slots)
    references = _references(message, len(slots), now_local, slot_days)
    switch = _last_switch(message)
    if switch is not None:
        # "Tuesday noon... actually no, make it Saturday morning": the correction replaces what came before.
        corrected = _references(message[switch:], len(slots), now_local, slot_days)
        if corrected:
            references = corrected
    return message, references


def _references(message, slot_count, now_local, slot_days):
    clauses = _with_conditions_joined([c.strip() for c in _CLAUSE_BREAK.split(message) if c and c.strip()])
    references = []
    for clause in clauses:
        if _CIRCUMSTANCE.match(clause):
            continue  # "I fly in Sunday": when the lead gets here, not a time they ask for
        ref = _reference(clause, slot_count, message, now_local, slot_days)
        if not ref.empty:
            references.append(replace(ref, weight=2) if ref.positive and _PREFERENCE.search(clause) else ref)
    return references


def _last_switch(message):
    last = None
    for match in _SWITCH.finditer(message):
        last = match.end()
    return last


_SWITCH = re.compile(
    r"\b(?:actually,? no|no,? wait|wait,? no|scratch that|on second thought|make that|change (?:that|it) to"
    r"|actually,? (?:make it|let'?s do|can we do))\b"
)
_CIRCUMSTANCE = re.compile(
    r"^(?:(?:i|we)(?:'ll| will)? (?:fly|flying|arrive|arriving|land|landing|get in|get back|move|moving|drive|driving) (?:in|up|down|back|over)?"
    r"|(?:i|we)(?:'m| am|'re| are|'ll be| will be) (?:back|flying in|arriving|landing|in town))\b"
)


def _with_conditions_joined(clauses):
    """ "Saturday, but only if it's the afternoon" is one reference (Saturday afternoon), not two. A
    condition that names its own day ("if not, Sunday") or is negated stays a clause of its own."""
    joined = []
    for clause in clauses:
        if joined and _CONDITION.match(clause) and not _WEEKDAY.search(clause) and not _NEGATION.search(clause):
            joined[-1] = f"{joined[-1]} {clause}"
        else:
            joined.append(clause)
    return joined


def preferred_slots(text, slots, timezone, now=None, max_chars=2000):
    """1-based indices of `slots` (e.g. the engine's candidates) that fit the times the lead asked for.

    "any weekday after 6", "Tuesday or Thursday evening", "not Monday": a slot fits when no negative
    reference rules it out and, if the lead named any day or time, it fits at least one of them.
    Without any stated preference every slot fits. Positions ("option 2") are ignored here.
    """
    tz = ZoneInfo(timezone or "UTC")
    _, references = _read_references(text, slots, tz, now, max_chars)
    references = [
        replace(ref, ordinal=None) for ref in references if ref.ordinal is None or not _only_ordinal(ref)
    ]
    starts = [_local(slot.starts_at, tz) for slot in slots]
    ends = [_local(slot.ends_at, tz) for slot in slots]
    positives = [ref for ref in references if ref.positive]
    negatives = [ref for ref in references if not ref.positive]
    fitting = []
    for i in range(1, len(slots) + 1):
        start, end = starts[i - 1], ends[i - 1]
        if any(_satisfies(ref, i, start, end, starts) for ref in negatives):
            continue
        if positives and not any(_satisfies(ref, i, start, end, starts) for ref in positives):
            continue
        fitting.append(i)
    return tuple(fitting)


def _only_ordinal(ref):
    return not (
        ref.weekdays or ref.dates or ref.times or ref.hours or ref.after is not None or ref.before is not None
    )


_COMPARATIVE = (0, -2)  # "the earlier one", "the later one"


def _fit(ref, indices, starts, ends):
    """The slots a reference points at. A position that its other words rule out counts among the slots
    those words point at: "the first Saturday" is the first of the Saturday slots."""
    fit = {i for i in indices if _satisfies(ref, i, starts[i - 1], ends[i - 1], starts)}
    if fit or ref.ordinal is None or ref.ordinal < 1 or _only_ordinal(ref):
        return fit
    plain = replace(ref, ordinal=None)
    pool = [i for i in indices if _satisfies(plain, i, starts[i - 1], ends[i - 1], starts)]
    return {pool[ref.ordinal - 1]} if ref.ordinal <= len(pool) else set()


def _with_comparatives(references, fits, indices, starts, ends, vetoed):
    """Fits for "Tuesday works - the later one": a comparative picks among the slots the other words
    point at (all slots not ruled out when they point nowhere)."""
    context = set(indices) - vetoed
    for ref, fit in zip(references, fits, strict=True):
        if ref.positive and fit and fit & context:
            context &= fit
    context = context or set(indices) - vetoed
    return [
        fit if fit is not None else _comparative_fit(ref, indices, starts, ends, context)
        for ref, fit in zip(references, fits, strict=True)
    ]


def _comparative_fit(ref, indices, starts, ends, context):
    """The earliest or latest slot among those the reference's other constraints (or, when it has none,
    the message's other references) point at."""
    if _only_ordinal(ref):
        pool = sorted(context)
    else:
        plain = replace(ref, ordinal=None)
        pool = [i for i in indices if _satisfies(plain, i, starts[i - 1], ends[i - 1], starts)]
    if not pool:
        return set()
    pick = min if ref.ordinal == 0 else max
    return {pick(pool, key=lambda i: starts[i - 1])}


def choose_slot(text, offered_slots, timezone, now=None, max_chars=2000):
    """Read which offered slot the lead chose. `offered_slots` is a sequence of SlotOption."""
    tz = ZoneInfo(timezone or "UTC")
    message, references = _read_references(text, offered_slots, tz, now, max_chars)
    rejects_all = bool(_REJECT_ALL.search(message))
    if not offered_slots:
        return SlotChoice(
            None, mentions_time=bool(references), rejects_all=rejects_all, references=tuple(references)
        )
    if len(offered_slots) == 1 and not references and _ASSENT_ALONE.match(message):
        return SlotChoice(1, candidates=(1,))

    starts = [_local(slot.starts_at, tz) for slot in offered_slots]
    ends = [_local(slot.ends_at, tz) for slot in offered_slots]
    indices = range(1, len(offered_slots) + 1)
    fits = [None if ref.ordinal in _COMPARATIVE else _fit(ref, indices, starts, ends) for ref in references]
    vetoed = set()
    for ref, fit in zip(references, fits, strict=True):
        if fit is not None and not ref.positive:
            vetoed |= fit
    fits = [fit - vetoed if ref.others and ref.positive and fit is not None else fit for ref, fit in zip(references, fits, strict=True)]
    if None in fits:
        fits = _with_comparatives(references, fits, indices, starts, ends, vetoed)
        vetoed = set().union(*(fit for ref, fit in zip(references, fits, strict=True) if not ref.positive))
    scores = dict.fromkeys(indices, 0)
    unmatched = False
    for ref, fit in zip(references, fits, strict=True):
        if not ref.positive:
            continue
        if not fit:
            unmatched = True
        for i in fit:
            scores[i] += ref.weight
    best = max((scores[i] for i in indices if i not in vetoed), default=0)
    candidates = tuple(i for i in indices if i not in vetoed and best > 0 and scores[i] == best)
    # "Thursday, like 8pm" (8pm not offered) names a time we do not have: no pick, even though
    # one reference alone would fit.
    positives = sum(ref.weight for ref in references if ref.positive)
    conflicting = unmatched and best < positives
    # "something in the evening instead" asks for other times; a part of day alone is no pick then.
    if _ASKS_FOR_OTHER.search(message) and all(
        ref.hours and not (ref.weekdays or ref.dates or ref.times or ref.ordinal is not None)
        for ref in references
        if ref.positive
    ):
        conflicting = True
    index = candidates[0] if len(candidates) == 1 and not rejects_all and not conflicting else None
    return SlotChoice(
        index=index,
        candidates=candidates,
        vetoed=frozenset(vetoed),
        mentions_time=bool(references),
        unmatched=unmatched,
        rejects_all=rejects_all,
        references=tuple(references),
    )
