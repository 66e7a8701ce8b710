"""Counts and lists as a sentence writes them, for every floor's messages: "1 creator", "a, b and c"."""

from __future__ import annotations

from collections.abc import Sequence


def plural(count: int, noun: str, many: str | None = None) -> str:
    """A count with its noun as people write it: "1 creator", "2 creators", "1,204 creators"."""
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"


def in_words(names: Sequence[str]) -> str:
    """Names as a sentence lists them: "Date", "Date and ASIN", "Date, Creator and ASIN"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
