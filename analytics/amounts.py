"""How an amount is written: in the currency of the brand whose data it is, as its files show it ("€1,254.55").

A brand's currency is its store's (`ingest.currency.store_currency`): the sign its files' amounts carry, the
dollar when they carry none. It is set around each piece of work that writes one brand's amounts: a page's run
(`ui.session.begin_run`), the review's findings, a weekly review, a download made after its page's run. A context
variable, so that the many places writing an amount (cards, sentences, chart axes, Excel formats) are not each
handed it, and two brands' pages served at once, each run on a thread of its own, never see each other's.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DEFAULT_CURRENCY = "$"
_CURRENCY: ContextVar[str] = ContextVar("currency", default=DEFAULT_CURRENCY)


def currency() -> str:
    """The currency the amounts being written are in: a sign ("$", "€") or a code ("CAD")."""
    return _CURRENCY.get()


def set_currency(sign: str) -> None:
    """Write amounts in `sign` for the rest of this thread's work (a page's run sets it as it starts)."""
    _CURRENCY.set(sign)


@contextmanager
def amounts_in(sign: str) -> Iterator[None]:
    """Write amounts in `sign` inside the block, and as before after it."""
    token = _CURRENCY.set(sign)
    try:
        yield
    finally:
        _CURRENCY.reset(token)


def prefix(sign: str | None = None) -> str:
    """What an amount in `sign` (by default the currency being written) starts with after its minus sign: the sign
    itself ("$"), a code with a space ("CAD ")."""
    sign = currency() if sign is None else sign
    return sign + " " if sign.isalpha() else sign


def amount(number: float, decimals: int = 2) -> str:
    """An amount with its currency, separators and `decimals` places, the minus before the sign: "-$1,234.50".

    Halves round away from zero, as finance rounds them and as the tables' formats do in the browser: $862.50 to
    whole dollars is $863 (Python's own rounding, to even, would write $862). An amount that rounds to nothing has
    no minus."""
    rounded = _rounded(number, decimals)
    if rounded is None:  # not a finite number, or past what a Decimal of these places holds
        return f"{prefix()}{number:,}"
    return f"{'-' if rounded < 0 else ''}{prefix()}{abs(rounded):,.{decimals}f}"


def _rounded(number: float | Decimal, decimals: int) -> Decimal | None:
    """`number` to `decimals` places, halves away from zero; None when it is not a finite number or too large.
    A float is rounded as the decimal it prints as (8.325, not the 8.32499… it holds), as a browser's and Excel's
    formats round it: a pace the table shows as $8.33 was written $8.32 in the warning beside it."""
    value = number if isinstance(number, Decimal) else exact(number)
    if not value.is_finite():
        return None
    try:
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None


def exact(number: object) -> Decimal:
    """A float amount as the decimal it prints as, the shortest that reads back the same: 116.55 summed from cents,
    not 116.5499999999999971578… Sums and products of these stay exact where floats drift off a half cent."""
    value = float(number)  # type: ignore[arg-type]  # numpy's numbers too
    return Decimal(repr(value)) if math.isfinite(value) else Decimal(value)


def cents(number: float | Decimal) -> float:
    """An amount to the cent, halves away from zero, as `amount` writes it."""
    rounded = _rounded(number, 2)
    return float(rounded) if rounded is not None else float(number)


def signed_amount(number: float) -> str:
    """An amount a total moves by, with its sign either way: "+$4.60", "-$4.60"; one that rounds to nothing has
    none: "$0.00"."""
    rounded = _rounded(number, 2)
    return ("+" if rounded is not None and rounded > 0 else "") + amount(number)
