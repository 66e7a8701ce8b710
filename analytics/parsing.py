"""One parsing rule per value type, written as DuckDB SQL over a text column, so files convert set-based.

Every rule takes the SQL of a text value and returns the SQL of the typed value, or NULL when the text
is missing *or* cannot be parsed; `is_missing` tells the two apart, so the importer can name the bad cell.
The tables of cases beside each rule are the rule's documentation and its unit tests.
"""

from __future__ import annotations

# Written by exports for "no value": empty, a dash, N/A and friends (compared lower-case, trimmed).
MISSING_MARKERS = ("", "-", "--", "n/a", "na", "null", "none", "nan", "#n/a")

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
    "%Y%m%d",
    "%Y/%m/%d",
    "%d-%b-%Y",
    "%b %d, %Y",
    "%B %d, %Y",
)
# Excel's re-saved short form (3/1/26). Tried only when no four-digit-year form gives a plausible year,
# because strptime's %Y happily reads "26" as the year 26.
SHORT_YEAR_FORMATS = ("%m/%d/%y", "%m/%d/%y %H:%M", "%m/%d/%y %I:%M %p")


# For files where a value like 25/03/2026 shows the slash dates are day first.
def _day_first(formats: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f.replace("%m/%d/", "%d/%m/") for f in formats)


TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")

CURRENCY_NOISE = r"[\s$€£₹¥,]|USD|EUR|GBP|INR|CAD"


def _sql_list(values: tuple[str, ...]) -> str:
    # Only constants defined in this module reach here; quotes are doubled all the same.
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def trimmed(raw: str) -> str:
    return f"trim(replace({raw}, chr(160), ' '))"


def is_missing(raw: str, value_type: str) -> str:
    """SQL true when the text stands for "no value" (a rank of '>306' is a real "not ranked")."""
    missing = f"({raw} is null or lower({trimmed(raw)}) in ({_sql_list(MISSING_MARKERS)}))"
    if value_type == "rank":
        return f"({missing} or {trimmed(raw)} like '>%' or lower({trimmed(raw)}) in ('not ranked', 'nr', 'n.r.'))"
    return missing


def _number(raw: str) -> str:
    """Decimal of a number written with currency signs, thousands separators or accounting brackets."""
    text = trimmed(raw)
    negative = f"(regexp_full_match({text}, '\\(.*\\)') or regexp_full_match({text}, '[^0-9]*-.*'))"
    digits = f"regexp_replace({text}, '{CURRENCY_NOISE}|[()+-]', '', 'g')"
    magnitude = (
        f"try_cast(case when regexp_full_match({digits}, '[0-9]*\\.?[0-9]+') then {digits} end as decimal(18, 4))"
    )
    return f"(case when {negative} then -{magnitude} else {magnitude} end)"


MONEY_CASES = [
    ("1234.5", 1234.5),
    ("1,841", 1841),
    ("$1,234.56", 1234.56),
    ("$ 0.35", 0.35),
    ("-₹379.04", -379.04),
    ("$-12.00", -12.0),
    ("(12.50)", -12.5),
    ("USD 7", 7),
    ("12.5.1", None),
    ("abc", None),
]


def money(raw: str) -> str:
    return _number(raw)


COUNT_CASES = [("12", 12), ("1,841", 1841), ("3.0", 3), ("2.5", None), ("x", None), ("-4", -4)]


def count(raw: str) -> str:
    number = _number(raw)
    return f"(case when {number} = trunc({number}) then cast({number} as bigint) end)"


RATE_CASES = [("0.03", 0.03), ("3%", 0.03), ("12.5 %", 0.125), ("0.125", 0.125), ("x%", None)]


def rate(raw: str) -> str:
    text = trimmed(raw)
    bare = f"rtrim(rtrim({text}, '%'))"
    value = f"try_cast(case when regexp_full_match({bare}, '-?[0-9]*\\.?[0-9]+') then {bare} end as double)"
    return f"(case when {text} like '%\\%' escape '\\' then {value} / 100 else {value} end)"


RANK_CASES = [("12", 12), (">306", None), ("-", None), ("", None), ("1,204", 1204), ("4.5", None)]


def rank(raw: str) -> str:
    return f"cast({count(raw)} as integer)"


DATE_CASES = [
    ("2026-03-01", "2026-03-01"),
    ("03/01/2026", "2026-03-01"),
    ("2026-03-01 11:05:30", "2026-03-01"),
    ("2/11/2026 4:01 PM", "2026-02-11"),
    ("20260301", "2026-03-01"),
    ("3/1/26", "2026-03-01"),
    ("2026-02-30", None),
    ("yesterday", None),
]


def timestamp(raw: str, day_first: bool = False) -> str:
    """Timestamp of a date or date-time; time of day is kept so same-day readings can be ordered."""
    long_forms, short_forms = MONTH_FIRST_FORMATS, SHORT_YEAR_FORMATS
    if day_first:
        long_forms, short_forms = _day_first(long_forms), _day_first(short_forms)
    long_year = f"try_strptime({trimmed(raw)}, [{_sql_list(long_forms)}])"
    short_year = f"try_strptime({trimmed(raw)}, [{_sql_list(short_forms)}])"
    return f"coalesce(case when year({long_year}) >= 1900 then {long_year} end, {short_year})"


def date(raw: str, day_first: bool = False) -> str:
    return f"cast({timestamp(raw, day_first)} as date)"


FLAG_CASES = [("true", True), ("Yes", True), ("Y", True), ("1", True), ("false", False), ("N", False), ("0", False)]


def flag(raw: str) -> str:
    text = f"lower({trimmed(raw)})"
    return (
        f"(case when {text} in ({_sql_list(TRUE_WORDS)}) then true "
        f"when {text} in ({_sql_list(FALSE_WORDS)}) then false end)"
    )


def text(raw: str) -> str:
    return f"nullif({trimmed(raw)}, '')"


def asin(raw: str) -> str:
    return f"upper({trimmed(raw)})"


RULES = {
    "date": date,
    "text": text,
    "asin": asin,
    "count": count,
    "money": money,
    "rate": rate,
    "rank": rank,
    "flag": flag,
}


def typed(raw: str, value_type: str, day_first: bool = False) -> str:
    """SQL of the typed value of a text column, NULL where it is missing or unparseable."""
    if value_type == "date":
        return f"(case when not {is_missing(raw, value_type)} then {date(raw, day_first)} end)"
    return f"(case when not {is_missing(raw, value_type)} then {RULES[value_type](raw)} end)"
