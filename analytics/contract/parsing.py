"""One parsing rule per value type, written as DuckDB SQL over a text column, so files convert set-based.

A cell goes through three steps, each a layer of the importer's query so no step is computed twice:
`clean` trims it and makes "no value" markers NULL; the rule's `parse` reads the clean text (NULL when it
cannot); `finish` narrows the result to the stored type (NULL when, say, a count has a fraction). A cell
whose clean text is not NULL but whose finished value is NULL is a bad cell the importer names.
The tables of cases beside each rule are the rule's documentation and its unit tests.
"""

from __future__ import annotations

import re

# Written by exports for "no value": empty, a dash (a typed one too: en and em dashes), N/A and friends, and the
# \N of a MySQL or warehouse dump (compared lower-case, trimmed).
MISSING_MARKERS = ("", "-", "--", "\u2013", "\u2014", "n/a", "na", "null", "none", "nan", "#n/a", "\\n")

MONTH_FIRST_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    # Amazon's own dashed US form ("Fee-Orders reports from 03-01-2026 to 03-31-2026").
    "%m-%d-%Y",
    "%m-%d-%Y %H:%M:%S",
    "%Y%m%d",
    "%Y/%m/%d",
    "%d-%b-%Y",
    "%b %d, %Y",
    "%B %d, %Y",
)
# Dates written with dots put the day first wherever they are written (31.10.2026, as Europe's exports do).
DOTTED_FORMATS = ("%d.%m.%Y", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M")
# Excel's re-saved short form (3/1/26). Tried only when no four-digit-year form gives a plausible year,
# because strptime's %Y happily reads "26" as the year 26.
SHORT_YEAR_FORMATS = ("%m/%d/%y", "%m/%d/%y %H:%M", "%m/%d/%y %I:%M %p", "%d.%m.%y", "%d-%b-%y")


# For files where a value like 25/03/2026 (or 25-03-2026) shows the slash (or dash) dates are day first.
def _day_first(formats: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f.replace("%m/%d/", "%d/%m/").replace("%m-%d-", "%d-%m-") for f in formats)


# The types read by the number rule; with rates, the types whose cells show how a file writes its decimals.
NUMBER_TYPES = ("money", "count", "rank")

TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")

# How Amazon's marketplaces and spreadsheets write a currency in an amount's text -> the currency as the app names
# it (its sign, or its code where the sign is shared or is letters: "CAD 12.00" beside "$12.00").
CURRENCY_SIGNS = {
    "$": "$",
    "US$": "$",
    "USD": "$",
    "€": "€",
    "EUR": "€",
    "£": "£",
    "GBP": "£",
    "CAD": "CAD",
    "CA$": "CAD",
    "C$": "CAD",
    "CDN$": "CAD",
    "₹": "₹",
    "INR": "₹",
    "¥": "¥",
    "\uffe5": "¥",  # the full-width yen sign of a Japanese export
    "JPY": "¥",
    "AUD": "AUD",
    "A$": "AUD",
    "AU$": "AUD",
    "MXN": "MXN",
    "MX$": "MXN",
    "R$": "R$",
    "BRL": "R$",
    "SEK": "SEK",
    "kr": "SEK",
    "PLN": "PLN",
    "zł": "PLN",
    "₺": "₺",
    "TRY": "₺",
    "SGD": "SGD",
    "S$": "SGD",
    "AED": "AED",
    "SAR": "SAR",
    "EGP": "EGP",
}
# Currency signs and codes, dropped wherever they stand in a number's text: the longest first, so "CA$" is one sign
# rather than a "$" after two letters.
CURRENCY = "|".join(re.escape(sign) for sign in sorted(CURRENCY_SIGNS, key=len, reverse=True))


def _shape(digits: str) -> str:
    """The shape of a cell holding one number once its currency is dropped: the digits, a sign before or after them
    (SAP writes 12.50-) and spaces around them, or all of that in accounting brackets: (12.50)."""
    body = f" *[-+]? *({digits}) *-? *"
    return f"({body}|\\({body}\\))"


# Thousands groups as a decimal point's locale writes them: by commas as the US does (1,234,567.89), or India
# (12,34,567.89), or by spaces (1 234 567.89); or none (1234.5). Any other comma is not a thousands separator.
POINT_NUMBER = _shape(
    r"([0-9]+|[1-9][0-9]{0,2}((,[0-9]{3})+|( [0-9]{3})+)|[1-9][0-9]?(,[0-9]{2})*,[0-9]{3})(\.[0-9]+)?|\.[0-9]+"
)
# The same as a decimal comma's locale writes them (Germany, France, Italy, Spain): 1.234.567,89, 1 234,5 or 1234,5.
COMMA_NUMBER = _shape(r"([0-9]+|[1-9][0-9]{0,2}((\.[0-9]{3})+|( [0-9]{3})+))(,[0-9]+)?|,[0-9]+")
# Thousands grouped by the separator the other locale writes decimals with, and nothing more: an amount written
# 1,299 or a count 1.000. A decimal comma would give that amount three decimals, which amounts are not written with,
# and a count has none: each is read only as thousands (`_readable`).
COMMA_THOUSANDS = _shape(r"[1-9][0-9]{0,2}(,[0-9]{3})+")
DOT_THOUSANDS = _shape(r"[1-9][0-9]{0,2}(\.[0-9]{3})+")
# The types that hold whole numbers: a decimal point never stands in them, so 1.000 groups thousands.
WHOLE_TYPES = ("count", "rank")


def _sql_list(values: tuple[str, ...]) -> str:
    # Only constants defined in this module reach here; quotes are doubled all the same.
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


NOT_RANKED = ("not ranked", "nr", "n.r.")


def clean(raw: str, value_type: str) -> str:
    """Trimmed text (non-breaking spaces too), NULL for "no value" — and, for ranks, for "not ranked" (>306)."""
    return unmarked(trimmed(raw), value_type)


def trimmed(raw: str) -> str:
    """`clean`'s first step: the text without surrounding spaces, non-breaking ones included."""
    # Replacing costs more than asking whether it is needed: most cells have no non-breaking space.
    return f"trim(case when contains({raw}, chr(160)) then replace({raw}, chr(160), ' ') else {raw} end)"


def unmarked(text: str, value_type: str) -> str:
    """`clean`'s second step, on trimmed text: NULL for the markers of "no value" (and of "not ranked")."""
    # Lowering costs more than asking whether it is needed: no cell longer than the longest marker is one.
    markers = MISSING_MARKERS + (NOT_RANKED if value_type == "rank" else ())
    longest = max(len(marker) for marker in markers)
    missing = f"length({text}) <= {longest} and lower({text}) in ({_sql_list(markers)})"
    if value_type == "rank":
        missing += f" or {text} like '>%'"
    return f"(case when {missing} then null else {text} end)"


def plain(text: str, value_type: str) -> str | None:
    """The cheap cast that reads a plain cell (12, 1234.5, 2026-03-01): each rule's first step, or None.

    It gives either NULL or the rule's own value, raw or cleaned text alike (DuckDB's casts ignore surrounding
    spaces, and no "no value" marker casts), so a column whose every cell it reads can skip `clean` and
    `parse` altogether: machine-written exports, most files, load at the speed of a cast. A whole number is read
    plain only as bare digits, cast to an integer; the rule reads the rest (3.0, -4) or refuses them (1.000 in a
    file with decimal points: `_readable`).
    """
    if value_type in WHOLE_TYPES:
        # Bare digits: no character outside 0-9, and one at least. A glob asks it in half the time of a regular
        # expression, which counts on a file of five count columns and millions of rows.
        return f"case when not ({text} glob '*[!0-9]*') and {text} <> '' then try_cast({text} as bigint) end"
    if value_type in NUMBER_TYPES:
        return f"try_cast({text} as decimal(18, 4))"
    if value_type == "date":
        return f"case when {text} like '____-%' then try_cast({text} as timestamp) end"
    return None


def _bare(text: str) -> str:
    """A number's text without its currency, with a narrow non-breaking space (France's thousands separator) as a
    space; `_shape` says what may remain."""
    return f"trim(replace(regexp_replace({text}, '{CURRENCY}', '', 'g'), chr(8239), ' '))"


def _forms(value_type: str, decimal_comma: bool) -> tuple[str, str | None]:
    """The shape of a number of `value_type` as a decimal comma's locale, or a decimal point's, writes it, and the
    thousands it does not read because the other locale would (`COMMA_THOUSANDS`), if any."""
    if decimal_comma:
        return COMMA_NUMBER, COMMA_THOUSANDS if value_type in NUMBER_TYPES else None
    return POINT_NUMBER, DOT_THOUSANDS if value_type in WHOLE_TYPES else None


def _readable(bare: str, value_type: str, decimal_comma: bool) -> str:
    """SQL: whether `bare` text (`_bare`) is a number of `value_type` in the locale `decimal_comma` says (`_forms`)."""
    shape, thousands = _forms(value_type, decimal_comma)
    readable = f"regexp_full_match({bare}, '{shape}')"
    return f"({readable} and not regexp_full_match({bare}, '{thousands}'))" if thousands else readable


def _number(text: str, value_type: str = "money", decimal_comma: bool = False) -> str:
    """Decimal of a number written with currency signs, thousands separators, a sign or accounting brackets.

    With `decimal_comma`, as the file's other numbers show it writes them (1.234,56); otherwise with a decimal point,
    where a comma must separate thousands (12,50 is then no number rather than 1250).
    """
    # Once its shape is known to be a number's, the text's every minus is a sign and every bracket an accounting
    # bracket, and its digits are what remains without currency, spaces, signs and brackets.
    digits = f"regexp_replace({text}, '{CURRENCY}|[\\s\u202f()+-]', '', 'g')"
    decimal = f"replace(replace({digits}, '.', ''), ',', '.')" if decimal_comma else f"replace({digits}, ',', '')"
    magnitude = f"try_cast({decimal} as decimal(18, 4))"
    # Excel's Accounting format writes a zero amount as its currency and a dash ("$ -"), and a CSV saved from it keeps
    # what was shown: a dash alone is no value, but beside a currency it is zero.
    accounting_zero = f"when {_bare(text)} in ('-', '\u2013', '\u2014') then 0 " if value_type == "money" else ""
    read = (
        f"case {accounting_zero}when {_readable(_bare(text), value_type, decimal_comma)} then "
        f"case when contains({text}, '-') or contains({text}, '(') then -{magnitude} else {magnitude} end end"
    )
    # Plain numbers, most cells of most files, take the cheap cast; only the rest pay for the regexes. Not with a
    # decimal comma: the cast would read its 1.234 (a thousand) as one and a bit.
    return read if decimal_comma else f"coalesce(cast({plain(text, value_type)} as decimal(18, 4)), {read})"


def _shows(text: str, value_type: str, decimal_comma: bool) -> str:
    """SQL: whether a cell is a number of `value_type` only a decimal comma's locale reads, or only a decimal
    point's: the cells that show how a file writes its decimals. A rate's % is left out."""
    bare = _bare(f"rtrim(trim({text}), '%')")
    return f"({_readable(bare, value_type, decimal_comma)} and not {_readable(bare, value_type, not decimal_comma)})"


def _when(cheap: str, test: str) -> str:
    """SQL: `test`, worked out only where the `cheap` test holds (an AND would work out both on every row)."""
    return f"(case when {cheap} then {test} else false end)"


def shows_decimal_point(text: str, value_type: str) -> str:
    """SQL: whether text is a number only a decimal point's locale writes: 0.35, 1,234.5, 1,234,567, an amount
    1,299. (1.299 could be either, and shows neither.)"""
    return _when(f"contains({text}, '.') or contains({text}, ',')", _shows(text, value_type, False))


def shows_decimal_comma(text: str, value_type: str) -> str:
    """SQL: whether text is a number only a decimal comma's locale writes: 12,50, 1.234,56, 1.234.567, 0,500, a
    count 1.000."""
    # Such an amount has a comma with no dot after it, or two dots: asked first, as it is cheap and US amounts
    # (1,234.56) fail it.
    separated = f"(contains({text}, ',') and {text} not like '%,%.%') or {text} like '%.%.%'"
    if value_type in WHOLE_TYPES:
        separated = f"contains({text}, ',') or contains({text}, '.')"
    return _when(separated, _shows(text, value_type, True))


def written_with_decimal_comma(cell: str, value_type: str) -> bool:
    """Whether a cell is a number only a decimal comma's locale writes (`shows_decimal_comma`), read in Python to
    explain a refused cell."""
    bare = re.sub(CURRENCY, "", cell.strip().rstrip("%").strip()).replace("\u202f", " ").strip()

    def readable(decimal_comma: bool) -> bool:
        shape, thousands = _forms(value_type, decimal_comma)
        return bool(re.fullmatch(shape, bare)) and not (thousands and re.fullmatch(thousands, bare))

    return readable(True) and not readable(False)


MONEY_CASES = [
    ("1234.5", 1234.5),
    ("1,841", 1841),
    ("$1,234.56", 1234.56),
    ("$ 0.35", 0.35),
    ("-₹379.04", -379.04),
    ("$-12.00", -12.0),
    ("(12.50)", -12.5),
    ("USD 7", 7),
    ("₹1,23,456.00", 123456),
    ("12.5.1", None),
    ("abc", None),
    # A comma that does not group thousands is a decimal comma, read only where the file's numbers show it.
    ("12,50", None),
    ("1.234,56", None),
    ("1,2345", None),
    ("0,500", None),
    # A sign stands before or after the number (SAP writes 12.50-), never inside it; spaces only group thousands.
    ("12.50-", -12.5),
    ("- $12", -12),
    ("1-2", None),
    ("2026-03-01", None),
    ("12 50", None),
    ("1 234.50", 1234.5),
    ("(12.50", None),
    # Excel's Accounting format's zero, saved as shown.
    (" $ -   ", 0),
    ("$-", 0),
    ("USD -", 0),
    ("$ \u2013", 0),
]
# The same rules in a file whose numbers carry a decimal comma (`ingest.notation` says which files do); rates too.
DECIMAL_COMMA_CASES = [
    ("money", "12,50", 12.5),
    ("money", "1.234,56 €", 1234.56),
    ("money", "€ -1.234,56", -1234.56),
    ("money", "1 234,56", 1234.56),
    ("money", "1\u202f234,56", 1234.56),
    ("money", "1.234", 1234),
    ("money", "0,35", 0.35),
    ("money", "1.234,56-", -1234.56),
    ("money", "(1.234,56)", -1234.56),
    ("money", "0,500", 0.5),
    ("money", "1,234.56", None),
    ("money", "1.23,4", None),
    ("money", "0.125", None),
    ("money", "12 50", None),
    ("count", "1.841", 1841),
    ("count", "2,5", None),
    ("count", "1,000", None),
    ("money", "1,299", None),
    ("rate", "12,5 %", 0.125),
    ("rate", "0,03", 0.03),
]
# A count has no decimals: 1.000 is a thousand only a decimal comma's file writes (`DECIMAL_COMMA_CASES`).
COUNT_CASES = [("12", 12), ("1,841", 1841), ("3.0", 3), ("2.5", None), ("x", None), ("-4", -4), ("1.000", None)]
RANK_CASES = [("12", 12), (">306", None), ("-", None), ("", None), ("1,204", 1204), ("4.5", None)]
RATE_CASES = [("0.03", 0.03), ("3%", 0.03), ("12.5 %", 0.125), ("0.125", 0.125), ("x%", None)]


def _percent_number(text: str, decimal_comma: bool) -> str:
    """The number of a rate's text without its % sign, as a double: 12.5, or with `decimal_comma` 12,5."""
    bare = f"rtrim(rtrim({text}, '%'))"
    if decimal_comma:
        bare = f"replace({bare}, ',', '.')"
    return f"try_cast(case when regexp_full_match({bare}, '-?[0-9]*\\.?[0-9]+') then {bare} end as double)"


# A percent's fraction is rounded to this many decimals: 11.11 / 100 is 0.11109999999999999 in binary, where the
# same share written 0.1111 (Amazon's API) is 0.1111, and a file restating it read as changed.
_FRACTION_DECIMALS = 12


def _hundredth(value: str) -> str:
    """A percent's number (SQL double) as the fraction it writes."""
    return f"round({value} / 100, {_FRACTION_DECIMALS})"


def _rate(text: str, decimal_comma: bool = False) -> str:
    value = _percent_number(text, decimal_comma)
    return f"(case when {text} like '%\\%' escape '\\' then {_hundredth(value)} else {value} end)"


# Brand Analytics writes shares as plain numbers in percent and puts the % in the header ("Repeat Customer
# Share: % Share of Total Customers" = 10.84 means 10.84 %): under such a header every cell is a percent.
PERCENT_HEADER_CASES = [("10.84", 0.1084), ("10.84%", 0.1084), ("0", 0.0), ("100", 1.0), ("x", None)]


def percent_rate(text: str, decimal_comma: bool = False) -> str:
    """A rate read under a header that carries the % sign: the number is a percent, with or without its own %."""
    return _hundredth(_percent_number(text, decimal_comma))


# Under a header that says "Percentage" in words, tools write the Buy Box both ways: 87.5 and 0.875 are 87.5 %.
PERCENT_WORD_CASES = [("87.5", 0.875), ("0.875", 0.875), ("98.60%", 0.986), ("100", 1.0), ("0", 0.0), ("x", None)]


def percent_or_fraction(text: str, decimal_comma: bool = False) -> str:
    """A rate read under a header that says percent in words: a number over 1 is a percent, one up to 1 a fraction
    (a cell's own % sign read as everywhere)."""
    value = _rate(text, decimal_comma)
    return f"(case when {value} > 1 then {_hundredth(value)} else {value} end)"


DATE_CASES = [
    ("2026-03-01", "2026-03-01"),
    ("03/01/2026", "2026-03-01"),
    ("2026-03-01 11:05:30", "2026-03-01"),
    ("2/11/2026 4:01 PM", "2026-02-11"),
    ("20260301", "2026-03-01"),
    ("3/1/26", "2026-03-01"),
    ("03-01-2026", "2026-03-01"),
    ("1-Mar-26", "2026-03-01"),
    ("31.10.2026", "2026-10-31"),
    ("01.03.2026 14:30", "2026-03-01"),
    ("1.3.26", "2026-03-01"),
    ("2026-02-30", None),
    ("yesterday", None),
]


def timestamp(text: str, day_first: bool = False) -> str:
    """Timestamp of a date or date-time; time of day is kept so same-day readings can be ordered."""
    long_forms: tuple[str, ...] = MONTH_FIRST_FORMATS
    short_forms: tuple[str, ...] = SHORT_YEAR_FORMATS
    if day_first:
        long_forms, short_forms = _day_first(long_forms), _day_first(short_forms)
    long_forms += DOTTED_FORMATS
    long_year = f"try_strptime({text}, [{_sql_list(long_forms)}])"
    short_year = f"try_strptime({text}, [{_sql_list(short_forms)}])"
    # ISO dates and date-times take the cheap cast; the format list is for everything else.
    return f"coalesce({plain(text, 'date')}, case when year({long_year}) >= 1900 then {long_year} end, {short_year})"


FLAG_CASES = [("true", True), ("Yes", True), ("Y", True), ("1", True), ("false", False), ("N", False), ("0", False)]


def _flag(text: str) -> str:
    lowered = f"lower({text})"
    return (
        f"(case when {lowered} in ({_sql_list(TRUE_WORDS)}) then true "
        f"when {lowered} in ({_sql_list(FALSE_WORDS)}) then false end)"
    )


def _whole(value: str, sql_type: str) -> str:
    return f"(case when {value} = trunc({value}) then cast({value} as {sql_type}) end)"


def parse(text: str, value_type: str, day_first: bool = False, decimal_comma: bool = False) -> str:
    """The value read from clean text, in a working type (counts still decimal, dates still timestamps).

    `day_first`: slash dates put the day first (25/03/2026); `decimal_comma`: numbers are written 1.234,56.
    """
    if value_type in NUMBER_TYPES:
        return _number(text, value_type, decimal_comma)
    if value_type == "date":
        return timestamp(text, day_first)
    if value_type == "rate":
        return _rate(text, decimal_comma)
    if value_type == "flag":
        return _flag(text)
    if value_type == "asin":
        return f"upper({text})"
    return text


def finish(value: str, value_type: str) -> str:
    """The parsed value in its stored type; NULL where it does not fit (a fraction in a count)."""
    if value_type == "count":
        return _whole(value, "bigint")
    if value_type == "rank":
        return _whole(value, "integer")
    if value_type == "date":
        return f"cast({value} as date)"
    return value


def typed(raw: str, value_type: str, day_first: bool = False, decimal_comma: bool = False) -> str:
    """All three steps nested, for one-off use (tests, previews); the importer runs them as layers."""
    return finish(parse(clean(raw, value_type), value_type, day_first, decimal_comma), value_type)


def is_missing(raw: str, value_type: str) -> str:
    return f"({clean(raw, value_type)} is null)"


def date(raw: str, day_first: bool = False) -> str:
    return typed(raw, "date", day_first)
