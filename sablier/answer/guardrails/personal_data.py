"""Personal data that must never go public: bank and identity numbers, phones, e-mails, addresses.

Numbers with a checksum (cards, IBAN, SIN, NIR) count only when it holds; dates, times, amounts,
order or ticket references and the organisation's own public contacts pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sablier.answer.guardrails.finding import Finding, mask_digits, mask_email, mask_number
from sablier.understand.text import fold

START = r"(?<![\w+/-])(?<!\d[.,])"
END = r"(?![\w/-])(?![.,]\d)"
CAP = r"[A-ZÀ-Þ](?:[^\W\d_]|['\u2019-])*"  # a capitalised word, no digits
NAME = rf"(?:(?:de|du|des|la|le|les)\s+|[ldLD]['\u2019])*{CAP}"
CODE = r"\d{5}(?:-\d{4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d"  # French or US ZIP code; Canadian postal code
HARMLESS = re.compile(  # dates, times, amounts, percentages; starting where a number starts
    r"(?<!\d)(?:\d{4}-\d\d-\d\d|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}\s?[:h]\s?\d\d"
    r"|[$€£]\s?\d[\d,.]*|\d+(?:[\s,.]\d{3})*(?:[.,]\d+)?\s?(?:[$€£%]|EUR|CAD|USD))"
)
REFERENCE = re.compile(
    r"\b(?:order|commande|ticket|dossier|ref|reference|tracking|suivi|colis|parcel|facture|invoice|"
    r"confirmation|reservation)s?\b\W*(?:(?:n|no|number|numero|num|de|du|votre|your|is|est)\b\W*)*$"
)
IBAN = r"[A-Z]{2}\d\d(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?"
NIR = r"[12378] ?\d\d ?\d\d ?(?:\d\d|2[ABab])(?: ?\d{3}){2} ?\d\d"
SSN = r"\d{3}-\d\d-\d{4}|\d{3} \d\d \d{4}"
SIN = r"\d{3}([ -]?)\d{3}\1\d{3}"
CARD = r"\d{13,19}|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?|\d{4}[ -]\d{6}[ -]\d{4,5}"
PHONE = (
    r"(?:(?:\+|00)33[ .-]?(?:\(0\)[ .-]?)?[1-9]|0[1-9])(?:[ .-]?\d\d){4}"
    r"|(?:\+?1[ .-]?)?(?:\([2-9]\d\d\)|[2-9]\d\d)[ .-]?[2-9]\d\d[ .-]?\d{4}"
)
ACCOUNT = (
    r"\b(?:account|acct|compte)\b(?:\s*(?:number|no|n[°º]|num[ée]ro|#|bancaire|:)\.?)*\s*"
    r"(?P<v>\d(?:[ -]?\d){4,16})"
)
EMAIL = r"(?<![\w.+@-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"
ADDRESS = (
    r"\d{1,5}(?: ?(?:bis|ter))?,?\s+"
    r"(?i:rue|avenue|av\.|boulevard|bd|boul\.|chemin|place|all[ée]e|impasse|quai)"
    rf"(?:\s+{NAME})+(?:,?\s+(?:{CODE})(?:\s+{CAP})?)?"
    rf"|\d{{1,6}}(?:\s+{CAP}){{1,3}}\s+"
    r"(?i:street|st\.?|avenue|ave\.?|road|rd\.?|boulevard|blvd\.?|drive|dr\.?|lane|way|court|place)"
    rf"(?:,?\s+(?:{CODE}))?"
)


def luhn(value: str) -> bool:
    """The Luhn checksum over the digits of cards and SINs; a run of one repeated digit never passes."""
    digits = [int(ch) for ch in reversed(value) if ch.isdigit()]
    total = sum(d if i % 2 == 0 else 2 * d - 9 * (d > 4) for i, d in enumerate(digits))
    return total % 10 == 0 and len(set(digits)) > 1


def sin_ok(value: str) -> bool:
    return value[0] not in "08" and luhn(value)  # no SIN begins with 0 or 8


def iban_ok(value: str) -> bool:
    compact = value.replace(" ", "")
    rotated = compact[4:] + compact[:4]
    return 15 <= len(compact) <= 34 and int("".join(str(int(ch, 36)) for ch in rotated)) % 97 == 1


def nir_ok(value: str) -> bool:
    compact = value.replace(" ", "").upper()
    corsica = {"2A": "19", "2B": "18"}  # the key is computed as if Corsica were still department 20
    body = compact[:5] + corsica.get(compact[5:7], compact[5:7]) + compact[7:13]
    return body.isdigit() and 97 - int(body) % 97 == int(compact[13:])


def ssn_ok(value: str) -> bool:
    area, group, serial = re.findall(r"\d+", value)
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


@dataclass(frozen=True)
class Kind:
    rule: str
    label: str
    pattern: re.Pattern[str]
    valid: Callable[[str], bool] = bool  # no checksum: the shape alone decides
    mask: Callable[[str], str] = mask_number


def pattern(body: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(START + f"(?:{body})" + END, flags)


# In this order: the first kind to match a stretch of text claims it (an IBAN holds card-like digits).
KINDS = (
    Kind("iban", "IBAN", pattern(IBAN), iban_ok),
    Kind("nir", "social security number (NIR)", pattern(NIR), nir_ok),
    Kind("card", "card number", pattern(CARD), luhn),
    Kind("ssn", "social security number (SSN)", pattern(SSN), ssn_ok),
    Kind("sin", "social insurance number (SIN)", pattern(SIN), sin_ok),
    Kind("phone", "phone number", pattern(PHONE)),
    Kind("account", "bank account number", pattern(ACCOUNT, re.IGNORECASE)),
    Kind("email", "e-mail address", pattern(EMAIL), mask=mask_email),
    Kind("address", "postal address", pattern(ADDRESS), mask=mask_digits),
)
NUMBERS = ("iban", "nir", "card", "ssn", "sin", "phone", "account")


def candidates(text: str, kind: Kind) -> Iterator[tuple[int, int]]:
    group = "v" if "v" in kind.pattern.groupindex else 0
    for match in kind.pattern.finditer(text):
        if kind.valid(match.group(group)):
            yield match.span(group)


def harmless(text: str, span: tuple[int, int], kind: Kind, safe: list[tuple[int, int]]) -> bool:
    """Inside a date, time or amount, or a number introduced as an order or ticket reference."""
    start, end = span
    if any(s <= start and end <= e for s, e in safe):
        return True
    return kind.rule in NUMBERS and REFERENCE.search(fold(text[max(0, start - 40) : start])) is not None


def contact_key(value: str, kind: Kind) -> str:
    if kind.rule == "phone":
        return re.sub(r"\D", "", value)[-9:]  # the national number, whichever prefix was written
    return re.sub(r"[\W_]", "", fold(value))


def allowed(value: str, kind: Kind, contacts: tuple[str, ...]) -> bool:
    key = contact_key(value, kind)
    return any(contact_key(contact, kind).startswith(key) for contact in contacts)


def finding(kind: Kind, value: str, start: int, end: int) -> Finding:
    shown = kind.mask(value)
    advice = "remove it and ask the customer to write privately"
    message = f"{kind.label} {shown} must never be published: {advice}"
    return Finding(f"personal_data.{kind.rule}", "block", message, shown, start, end)


def find_personal_data(text: str, allowed_contacts: Iterable[str] = ()) -> list[Finding]:
    """Every piece of personal data in the text, in reading order."""
    contacts = tuple(allowed_contacts)
    safe = [m.span() for m in HARMLESS.finditer(text)]
    claimed: list[tuple[int, int]] = []
    findings: list[Finding] = []
    for kind in KINDS:
        for start, end in candidates(text, kind):
            if any(s < end and start < e for s, e in claimed) or harmless(text, (start, end), kind, safe):
                continue
            claimed.append((start, end))
            if not allowed(text[start:end], kind, contacts):
                findings.append(finding(kind, text[start:end], start, end))
    return sorted(findings, key=lambda f: f.start)
