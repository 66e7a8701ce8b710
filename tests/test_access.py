"""The sign-in allow-list."""

from __future__ import annotations

import pytest

from analytics.store.access import is_allowed


@pytest.mark.parametrize(
    ("email", "allowed", "expected"),
    [
        ("ana@brand.com", [], False),
        ("ana@brand.com", ["", "  "], False),
        ("ana@brand.com", ["ana@brand.com"], True),
        ("Ana@Brand.com", ["ana@brand.com"], True),
        ("bo@brand.com", ["ana@brand.com"], False),
        ("bo@agency.com", ["@agency.com"], True),
        ("bo@evil-agency.com", ["@agency.com"], False),
        ("bo@agency.com.evil.io", ["@agency.com"], False),
        (None, ["@agency.com"], False),
        ("not-an-email", ["@agency.com"], False),
    ],
)
def test_allow_list(email: str | None, allowed: list[str], expected: bool) -> None:
    assert is_allowed(email, allowed) is expected


def test_an_address_the_provider_has_not_verified_is_refused() -> None:
    assert is_allowed("ana@brand.com", ["ana@brand.com"], verified=False) is False
