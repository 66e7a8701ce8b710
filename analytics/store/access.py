"""Who may use a signed-in deployment: an allow-list of addresses and whole domains."""

from __future__ import annotations

from collections.abc import Iterable


def is_allowed(email: str | None, allowed: Iterable[str]) -> bool:
    """True when the list is empty (sign-in alone suffices) or names the address or its `@domain`."""
    entries = {entry.strip().lower() for entry in allowed if entry and entry.strip()}
    if not entries:
        return True
    if not email or "@" not in email:
        return False
    address = email.strip().lower()
    return address in entries or "@" + address.rsplit("@", 1)[1] in entries
