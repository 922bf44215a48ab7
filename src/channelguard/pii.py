"""Personal data and secrets in text: the patterns (cards with Luhn, IBANs with
mod 97, national ids, e-mail, phone, street addresses, secrets) and the masking.

Below both of their users: the guard's `personal_data` detector finds them in
what the agent says, and the register masks them in what it stores
(register/redact.py). Neither imports the other.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "KINDS",
    "PiiKind",
    "PiiMatch",
    "iban_ok",
    "luhn_ok",
    "mask",
    "pii_matches",
    "redact",
    "spoken_numbers",
]


def luhn_ok(digits: str) -> bool:
    nums = [int(d) for d in digits if d.isdigit()]
    if not 13 <= len(nums) <= 19:
        return False
    total = 0
    for i, n in enumerate(reversed(nums)):
        if i % 2:
            n = n * 2 - 9 if n * 2 > 9 else n * 2
        total += n
    return total % 10 == 0


def iban_ok(value: str) -> bool:
    s = re.sub(r"[\s-]", "", value).upper()
    if not 15 <= len(s) <= 34:
        return False
    moved = s[4:] + s[:4]
    digits = "".join(str(int(c, 36)) for c in moved)
    return int(digits) % 97 == 1


def _ssn_ok(value: str) -> bool:
    area, group, serial = value.split("-")
    return (
        area not in ("000", "666")
        and not area.startswith("9")
        and group != "00"
        and serial != "0000"
    )


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)


_SORT = r"\d(?:[- ]?\d){5}"
_ACCOUNT = r"\d(?:[- ]?\d){7}"
_AND = r"(?:and|,|&|/)\s*"
_ACCOUNT_WORD = r"(?:the\s+)?(?:account|acct|a/c)(?:\s+(?:number|no\.?))?"
_ARE = r"(?>\s*(?:are|were|:|=)?\s*)"
# between a naming word and its value: "is", ":", "=", a table cell's "|", a JSON key's quotes
# (atomic: three optional runs of spaces side by side backtrack cubically on a long
# run of spaces, and every stored event body is redacted with these patterns)
_IS = r"(?>[\"']?\s*(?:is|was|:|=|\|)?\s*[\"']?\s*)"
# "… code is 482917", or a few words between and then "is": "… code we sent you is"
_WORDS_IS = r"(?:(?:\s+[A-Za-z']+){1,4}?\s+(?:is|was)\b\s*+:?|" + _IS + r")\s*+"
_DASHED_SORT = r"\d(?:-\d){5}"
_UK_POSTCODE = r"(?-i:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})"
_DASHED_ACCOUNT = r"(?:\d{8}|\d(?:[- ]\d){7})(?![\d-])"
_AND_OPT = r"(?:" + _AND + ")?"
_PAIR = r"\bsort[- ]?code\s+and\s+" + _ACCOUNT_WORD + _ARE
_PAIR_REV = r"\b" + _ACCOUNT_WORD + r"\s+and\s+(?:the\s+)?sort[- ]?code" + _ARE


@dataclass(frozen=True, kw_only=True, slots=True)
class PiiKind:
    name: str
    regex: re.Pattern[str]
    score: float
    validate: Callable[[str], bool] | None = None  # a checksum: a match failing it is no match
    # where a value failing its checksum may be a shorter one run into the words after
    # it ("… 3 2 I repeat"): this pattern, anchored at the end, is cut off until it passes
    shorten: re.Pattern[str] | None = None
    # the pattern's first group, where it has one, is the value: the words naming it
    # ("sort code", "date of birth") stay readable and only the value is masked


def _named(name: str, words: str, value: str, score: float = 0.85) -> PiiKind:
    """A value the words before it name ("PUK: 5530 8127", `"acct": "40021987"`)."""
    return PiiKind(
        name=name,
        regex=re.compile(r"\b(?:" + words + ")" + _IS + "(" + value + r")\b", re.I),
        score=score,
    )


def _pair(
    lead: str,
    first: tuple[str, str],
    second: tuple[str, str],
    between: str,
    flags: re.RegexFlag = re.NOFLAG,
) -> tuple[PiiKind, PiiKind]:
    """Two values in a row after `lead`, one kind for each: the pattern is the same,
    the group (the value masked) is the first value's, then the second's."""
    (kind1, value1), (kind2, value2) = first, second
    return (
        PiiKind(
            name=kind1,
            regex=re.compile(lead + "(" + value1 + ")" + between + value2 + r"(?!\d)", flags),
            score=0.85,
        ),
        PiiKind(
            name=kind2,
            regex=re.compile(lead + value1 + between + "(" + value2 + r")(?!\d)", flags),
            score=0.85,
        ),
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class PiiMatch:
    kind: str
    start: int
    end: int
    score: float


KINDS = (
    PiiKind(
        name="card_number",
        # groups split by spaces or dashes, or every digit apart ("4 5 3 9 …"); by dots
        # only in fours (an IP address or a message id is dotted digits too)
        regex=re.compile(r"\b(?:(?:\d[ -]?){12,18}\d|\d{4}(?:\.\d{4}){2}\.\d{1,7})\b"),
        score=0.95,
        validate=luhn_ok,
    ),
    PiiKind(
        name="iban",
        regex=re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b"),
        score=0.95,
        validate=iban_ok,
    ),
    # read out a character at a time, as a voice agent spells it ("G B 8 2 W E S T …")
    PiiKind(
        name="iban",
        regex=re.compile(r"\b[A-Z][ -][A-Z][ -]\d[ -]\d(?:[ -]{1,2}[A-Z0-9]){11,30}\b", re.I),
        score=0.95,
        validate=iban_ok,
        shorten=re.compile(r"[ -]{1,2}[A-Z0-9]$", re.I),
    ),
    PiiKind(name="us_ssn", regex=re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), score=0.9, validate=_ssn_ok),
    PiiKind(
        name="uk_nino",
        regex=re.compile(
            r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b"
        ),
        score=0.85,
    ),
    # values a word before them names: without the word, eight digits or a date are
    # an order number or a delivery day
    PiiKind(
        name="one_time_code",
        regex=re.compile(
            r"\b(?:one[- ]time\s+(?:pass)?code|passcode|otp|(?:verification|security|"
            r"authentication|auth|login|sign[- ]in)\s+code)"
            + _WORDS_IS
            + r"(\d(?:[ -]?\d){3,7})\b",
            re.I,
        ),
        score=0.9,
    ),
    _named("puk", r"puk(?:[\s_]*(?:code|number|no\.?))?", r"\d(?:(?:\s?[-·./]\s?|\s)?\d){7}", 0.9),
    # (the PAC's three letters upper case, whatever the case of its name)
    _named("pac_code", r"pac(?:[\s_]*(?:code|number))?", r"(?-i:[A-Z]{3})\s?\d{3}\s?\d{3}", 0.9),
    _named("sort_code", r"sort[-_ ]?code", _SORT),
    _named("account_number", r"(?:account|acct|a/c)(?:[\s_]*(?:number|no\.?|#))?", _ACCOUNT),
    # a passport number (six to nine letters and digits, a digit among them) after its
    # name; a card's expiry and security code after theirs
    _named(
        "passport_number",
        r"passport(?:[\s_]*(?:number|no\.?|num|#))?",
        r"(?=[A-Z]{0,2}\d)(?-i:[A-Z0-9]{6,9})",
    ),
    _named(
        "expiry_date",
        r"exp(?:iry|iring|ires|iration)?(?:\s+date)?|valid\s+(?:thru|through|until)",
        r"(?:0[1-9]|1[0-2])\s?/\s?(?:\d{4}|\d{2})",
        0.7,
    ),
    # an electricity or gas meter point (MPAN core, MPRN) or a meter's serial
    _named("meter_point", r"mpan|mprn|meter\s+point(?:\s+(?:number|reference))?", r"\d{6,13}"),
    _named(
        "meter_serial",
        r"meter\b[^.\n]{0,40}?\bserial(?:\s+(?:number|no\.?))?",
        r"(?=[A-Z]{0,3}\d)(?-i:[A-Z0-9]{6,14})",
        0.6,
    ),
    _named(
        "card_security_code",
        r"cvv2?|cvc2?|cv2|card\s+verification\s+(?:value|code)",
        r"\d{3,4}",
        0.9,
    ),
    # both named first, then both values: "sort code and account number are X and Y"
    *_pair(_PAIR, ("sort_code", _SORT), ("account_number", _ACCOUNT), r"\s*" + _AND, re.I),
    *_pair(_PAIR_REV, ("account_number", _ACCOUNT), ("sort_code", _SORT), r"\s*" + _AND, re.I),
    # unnamed, by shape: a sort code dashed digit by digit and an eight-digit account
    # after it ("2-0-4-5-6-7 and 4-1-2-…"); in dashed pairs it would be a dd-mm-yy date
    # as often (the opt-in uk_bank_account recogniser reads "20-45-67 41234567")
    *_pair(
        r"(?<![\d-])",
        ("sort_code", _DASHED_SORT),
        ("account_number", _DASHED_ACCOUNT),
        r"\s*" + _AND_OPT,
    ),
    # a postcode read back is an answer to a knowledge-based check (UK, US ZIP, five digits)
    PiiKind(
        name="postcode",
        regex=re.compile(
            r"(?:\b(?:post[\s_-]?code|postal[\s_]+code)"
            + _WORDS_IS
            + r"|\bzip(?:[\s_]+code)?"
            + _IS
            + r")"
            + "("
            + _UK_POSTCODE
            + r"|\d{5}(?:-\d{4})?)\b",
            re.I,
        ),
        score=0.8,
    ),
    PiiKind(
        name="date_of_birth",
        regex=re.compile(
            r"\b(?:date\s+of\s+birth|d\.?o\.?b\.?|birth[\s_]*date|born\s+on)"
            + _IS
            + r"(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
            r"(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?"
            + _MONTH
            + r",?\s+\d{4}|"
            + _MONTH
            + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})",
            re.I,
        ),
        score=0.8,
    ),
    PiiKind(
        name="email",
        # starts only where a run of address characters starts: `\b` let every word
        # boundary inside a long run (`1-1-1-…`) rescan it to its end (quadratic)
        regex=re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b"),
        score=0.7,
    ),
    # a phone number is not a slice of a longer digit run (cards, order numbers)
    PiiKind(
        name="phone",
        regex=re.compile(
            r"(?<![\w-])(?<!\d )(?<!\d\.)"
            r"\+?\d{1,3}[ .-]?\(?\d{2,4}\)?[ .-]?\d{3,4}[ .-]?\d{3,4}"
            r"(?![\w-])(?! \d)(?!\.\d)"
        ),
        score=0.7,
    ),
    PiiKind(
        name="street_address",
        regex=re.compile(
            r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Terrace|Crescent|Grove|Gardens|Mews)\b\.?"
            # and the town and postcode after it ("…, Leeds LS6 2QT")
            r"(?:,?\s(?:[A-Z][a-z]+\s){1,2}(?:" + _UK_POSTCODE + r")\b)?"
        ),
        score=0.75,
    ),
    # the same in French, Spanish, Italian and German forms: "27 Rue Oberkampf, 75011
    # Paris", "Calle Mayor 5", "Hauptstraße 12, 10115 Berlin"
    PiiKind(
        name="street_address",
        regex=re.compile(
            r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:Rue|Avenue|Boulevard|Bd|Place|All[ée]e|Chemin|"
            r"Impasse|Quai|Calle|Avenida|Via|Viale|Piazza|Corso)\s+(?:(?:de|du|des|la|le|del|della|"
            r"di|d')\s*)*+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,3}(?:,?\s+\d{5}\s+[A-Z][\w-]+)?"
            r"|\b(?:Calle|Avenida|Via|Viale|Piazza|Corso)\s+(?:(?:de|del|della|di)\s+)*+[A-Z][\w'-]+"
            r"(?:\s+[A-Z][\w'-]+){0,2},?\s+\d{1,4}\b(?:,?\s+\d{5}\s+[A-Z][\w-]+)?"
            r"|\b[A-Z][a-zäöü]+(?:straße|strasse|weg|allee|platz|gasse)\s+\d{1,4}[a-z]?\b"
            r"(?:,?\s+\d{5}\s+[A-Z][\wäöü-]+)?"
        ),
        score=0.75,
    ),
    # a name after a title: masked where it is stored, never a finding on its own
    # (an agent greets the customer by name)
    PiiKind(
        name="person_name",
        regex=re.compile(
            r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Herr|Frau|Mme|Mlle|Sr|Sra)\.?\s+"
            r"([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+){0,3})\b"
        ),
        score=0.25,
    ),
    PiiKind(
        name="secret",
        regex=re.compile(
            r"\b(?:AKIA[0-9A-Z]{16}|sk-[A-Za-z0-9]{20,}|ghp_[A-Za-z0-9]{36}|xox[bp]-[A-Za-z0-9-]{10,})\b"
        ),
        score=0.95,
    ),
    PiiKind(
        name="password",
        # the value, less a full stop or comma after it
        regex=re.compile(
            r"(?:(?:\b|(?<=_))(?:password|passcode|pin)(?>[\"']?\s*(?:is|:|=)\s*[\"']?\s*)|"
            r"\b(?:memorable[\s_]+(?:word|answer|phrase)|security[\s_]+answer)(?>[\"']?\s*[:=]\s*[\"']?\s*))"
            r"(\S{3,}?[^\s.,;:!?'\")\]])(?=[.,;:!?'\")\]]*(?:\s|$))",
            re.I,
        ),
        score=0.85,
    ),
)


def _shortened(kind: PiiKind, value: str, start: int) -> int | None:
    """The end of the longest shorter value that passes the kind's checksum."""
    if kind.shorten is None or kind.validate is None:
        return None
    while (cut := kind.shorten.search(value)) is not None:
        value = value[: cut.start()]
        if kind.validate(value):
            return start + len(value)
    return None


def pii_matches(text: str) -> list[PiiMatch]:
    """Every match of every kind, in the order of KINDS; a span taken by an earlier
    kind is not matched again (a card number is not also a phone number). Then
    numbers read out in words (`spoken_numbers`)."""
    found: list[PiiMatch] = []
    taken = _Taken()
    for kind in KINDS:
        for m in kind.regex.finditer(text):
            # the value's span decides overlap: the words naming one value may name
            # the next ("sort code and account are X and Y")
            start, end = m.span(1) if m.re.groups else m.span()
            if taken.overlaps(start, end):
                continue
            if kind.validate is not None and not kind.validate(m.group()):
                shorter = _shortened(kind, m.group(), start)
                if shorter is None:
                    continue
                end = shorter
            found.append(PiiMatch(kind=kind.name, start=start, end=end, score=kind.score))
            taken.add(start, end)
    for spoken in spoken_numbers(text):
        if not taken.overlaps(spoken.start, spoken.end):
            found.append(spoken)
            taken.add(spoken.start, spoken.end)
    return found


class _Taken:
    """Spans already matched, apart from each other and sorted: an overlap test in
    log time (a text of 10,000 addresses took seconds when each match was tested
    against every earlier one)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        if i and self.ends[i - 1] > start:
            return True
        return i < len(self.starts) and self.starts[i] < end

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


_DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_DIGIT = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|\d)"
# at least four digits one at a time, in words or figures, apart by spaces, commas,
# dashes or dots: how a voice agent reads a number out ("four five three nine, …")
# (figures apart by a middle dot too: "4·8·2·9·1·3"; not a slash or a bar, which
# separate survey answers: "reply 1 / 2 / 3 / 4 / 5")
_SPOKEN = re.compile(rf"\b{_DIGIT}(?:[\s,.·-]{{1,3}}{_DIGIT}){{3,}}\b", re.I)
_NAMED_BEFORE = 72  # characters before the number where the word naming it may be
_NAMES = (  # the first that fits: a sort code is also a code
    ("sort_code", 0.85, re.compile(r"\bsort[- ]?code\b", re.I), (6, 6)),
    ("account_number", 0.85, re.compile(r"\b(?:account|acct|a/c)\b", re.I), (8, 8)),
    ("puk", 0.9, re.compile(r"\bpuk\b", re.I), (8, 8)),
    ("one_time_code", 0.9, re.compile(r"\b(?:code|passcode|otp|pin)\b", re.I), (4, 8)),
)


def spoken_numbers(text: str) -> list[PiiMatch]:
    """Numbers read out a digit at a time with at least one digit in words, or in
    figures apart by a middle dot: a card number (Luhn), or a code,
    PUK, sort code or account number a word before it names. Figures apart by
    spaces, commas, dots or dashes alone are left to KINDS' patterns."""
    out: list[PiiMatch] = []
    for m in _SPOKEN.finditer(text):
        tokens = re.findall(_DIGIT, m.group(), re.I)
        if all(t.isdigit() for t in tokens) and "·" not in m.group():
            continue
        digits = "".join(_DIGIT_WORDS.get(t.lower(), t) for t in tokens)
        if 13 <= len(digits) <= 19 and luhn_ok(digits):
            out.append(PiiMatch(kind="card_number", start=m.start(), end=m.end(), score=0.95))
            continue
        before = text[max(0, m.start() - _NAMED_BEFORE) : m.start()]
        for kind, score, named, (least, most) in _NAMES:
            if least <= len(digits) <= most and named.search(before):
                out.append(PiiMatch(kind=kind, start=m.start(), end=m.end(), score=score))
                break
    return out


def mask(text: str, found: list[PiiMatch]) -> str:
    """The text with each match replaced by its kind: `[CARD_NUMBER]`."""
    out = text
    for m in sorted(found, key=lambda f: -f.start):
        out = out[: m.start] + f"[{m.kind.upper()}]" + out[m.end :]
    return out


def redact(text: str) -> str:
    return mask(text, pii_matches(text))
