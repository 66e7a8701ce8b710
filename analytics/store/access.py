"""Who may use a signed-in deployment: an allow-list of addresses and whole domains."""

from __future__ import annotations

from collections.abc import Iterable


def allow_list(entries: Iterable[str]) -> set[str]:
    """The list's addresses and "@domain" entries, lowercased, blanks left out."""
    return {entry.strip().lower() for entry in entries if entry and entry.strip()}


def is_allowed(email: str | None, allowed: Iterable[str], verified: bool = True) -> bool:
    """True when the address is verified by the identity provider and the list names it or its `@domain`.

    An empty list admits nobody: a deployment that turned sign-in on and named no one is not open to every account
    the provider can sign in (the app tells its operator so).
    """
    entries = allow_list(allowed)
    if not entries or not verified or not email or "@" not in email:
        return False
    address = email.strip().lower()
    return address in entries or "@" + address.rsplit("@", 1)[1] in entries
