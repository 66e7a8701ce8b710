"""Counts, lists and the parts of a whole as a sentence writes them, for every floor's messages: "2 creators"."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date


def plural(count: int, noun: str, many: str | None = None) -> str:
    """A count with its noun as people write it: "1 creator", "2 creators", "1,204 creators"."""
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"


def signed(text: str) -> str:
    """A change with its sign, "+1.5" or "-1.5", and a change that rounds to nothing with none: "0.0", never
    "-0.0" (which a card shows as a fall)."""
    bare = text.lstrip("+-")
    if not bare.strip("0.,"):
        return bare
    return text if text.startswith("-") else "+" + text


SHOWN_NAMES = 3


def named(values: Sequence[str], shown: int = SHOWN_NAMES) -> str:
    """The first `shown` values, then "+N more" for the rest: `maya, leo, ana +2 more`; one more is named rather than
    counted ("+1 more" takes the room of a name)."""
    if len(values) <= shown + 1:
        return ", ".join(values)
    return ", ".join(values[:shown]) + f" +{len(values) - shown} more"


def alternatives(values: Sequence[str], shown: int = SHOWN_NAMES) -> str:
    """Values any one of which may be meant, as a sentence offers them: "Spring", "Spring or Summer", "Q1, Q2 or Q3",
    and past `shown` (one more is named rather than counted) "Q1, Q2, Q3 or 2 others"."""
    if len(values) > shown + 1:
        return f"{', '.join(values[:shown])} or {len(values) - shown} others"
    return values[0] if len(values) == 1 else f"{', '.join(values[:-1])} or {values[-1]}"


def possessive(name: str) -> str:
    """A name's possessive as a style guide writes a plural-looking name's: "Acme's", "Bolt Pets'"."""
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


def in_words(names: Sequence[str]) -> str:
    """Names as a sentence lists them: "Date", "Date and ASIN", "Date, Creator and ASIN"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def apportioned(total: float, parts: Sequence[float], unit: float) -> tuple[float, list[float]]:
    """`total` and its `parts` (which add up to it) rounded to whole `unit`s so that the rounded parts still add up
    to the rounded total, as a sentence stating a change and its parts must: "+0.3 pts: +0.2 from rates, +0.1 from
    mix", never "+0.3 pts: +0.2 and +0.2". Each part is rounded to its nearest unit, and the units the rounding
    gained or lost are given back to the parts it moved furthest (largest remainder), so no part is off by more
    than one unit."""
    target = round(total / unit)
    scaled = [part / unit for part in parts]
    rounded = [round(value) for value in scaled]
    gap = target - sum(rounded)
    step = 1 if gap > 0 else -1
    # The parts whose rounding went furthest against the gap take a unit each; of equal remainders (to a billionth
    # of a unit, past a division's binary noise), the first.
    furthest = sorted(range(len(parts)), key=lambda i: round((rounded[i] - scaled[i]) * step, 9))
    for i in furthest[: abs(gap)]:
        rounded[i] += step
    return target * unit, [value * unit for value in rounded]


def without_accents(text: str) -> str:
    """`text` with the accents taken off its letters ("Nestlé" as "Nestle"), every other character kept: for telling
    two spellings of one name apart from two names."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def day_words(day: date) -> str:
    """A day as the app writes one: "Nov 1, 2026"."""
    return f"{day:%b %-d, %Y}"


def range_words(start: date, end: date) -> str:
    """Two days as a range people read at a glance: "Jul 19 – Aug 15, 2026", the first day's year written too when
    it is another ("Dec 14, 2025 – Jan 10, 2026"); one day as itself ("Dec 21, 2025", not "Dec 21 – Dec 21, 2025")."""
    if start == end:
        return day_words(start)
    first = f"{start:%b %-d}" if start.year == end.year else day_words(start)
    return f"{first} – {day_words(end)}"
