"""No link breaks a page: dates outside the data, reversed ranges, unknown names and hostile text in the URL fall
back to what the data holds, on every page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.navigation import PAGE_FILES
from ui.notices import WORD_JOINER, md
from ui.sidebar import link_dates

ROOT = Path(__file__).resolve().parent.parent
FIRST, LAST = date(2026, 1, 1), date(2026, 6, 30)

LINKS = {
    "dates before and after the data": {"period": "Custom range", "start": "1900-01-01", "end": "2999-12-31"},
    "a reversed range and nonsense": {"period": "Custom range", "start": "2026-05-01", "end": "2026-02-01x"},
    "a preset held to dates outside the data": {"period": "Last 4 weeks", "start": "1900-01-01", "end": "2999-12-31"},
    "unknown names and hostile text": {
        "period": "Last 99 years",
        "line": "No such line",
        "creator": "[Old link](https://evil.example/old) **bold**",
        "campaign": ":material/home:",
        "asin": "B000000000",
        "program": "<b>levanta</b>",
        "compare": "decade",
        "focus": "<script>alert(1)</script>",
        "brand": "../../etc/passwd",
        "start": "9" * 5000,
    },
}


@pytest.mark.parametrize(
    ("start", "end", "expected", "changed"),
    [
        (None, None, (FIRST, LAST), False),
        (date(2026, 2, 1), date(2026, 3, 1), (date(2026, 2, 1), date(2026, 3, 1)), False),
        (date(1900, 1, 1), date(2999, 1, 1), (FIRST, LAST), True),
        (date(2026, 3, 1), date(2026, 2, 1), (date(2026, 2, 1), date(2026, 3, 1)), True),
        (date(2027, 1, 1), None, (LAST, LAST), True),
    ],
)
def test_a_links_dates_are_held_inside_the_data(
    start: date | None, end: date | None, expected: tuple[date, date], changed: bool
) -> None:
    assert link_dates(start, end, FIRST, LAST) == (expected, changed)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("$5 *off*", r"\$5 \*off\*"),
        ("[Old](https://evil.example)", f"\\[Old\\]\\(h{WORD_JOINER}ttps\\://evil\\.example\\)"),
        ("www.evil.example", f"w{WORD_JOINER}ww\\.evil\\.example"),
        (":material/home: done", f"\\:{WORD_JOINER}material/home\\: done"),
        ("perf.csv: 2 added", "perf\\.csv\\: 2 added"),
        ("ana@brand.com", f"ana@{WORD_JOINER}brand\\.com"),
        ("a.b-c@brand.com", f"a\\.b\\-c@{WORD_JOINER}brand\\.com"),
        ("@maya's code (@leo)", "@maya's code \\(@leo\\)"),  # a handle links to nothing: copied, it still matches
    ],
)
def test_data_text_meets_markdown_as_text(text: str, shown: str) -> None:
    """Escaping alone leaves bare URLs, addresses and icon shortcodes live; a word joiner breaks each opener."""
    assert md(text) == shown


@pytest.mark.usefixtures("entry_script_on_every_run")
@pytest.mark.parametrize("page", list(PAGE_FILES.values()))
@pytest.mark.parametrize("link", list(LINKS))
def test_no_link_breaks_a_page(app_env: Path, page: str, link: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in LINKS[link].items():
        at.query_params[name] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error


@pytest.mark.usefixtures("entry_script_on_every_run")
def test_a_links_names_the_brand_does_not_have_are_said_under_their_filters_as_text(app_env: Path) -> None:
    """A link carrying another brand's creator showed the whole brand without a word, and its download reviewed the
    whole brand. Each filter now says which of the link's names it does not have, as text, until one is picked."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in LINKS["unknown names and hostile text"].items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    said = [caption.value for caption in at.sidebar.caption]
    creator = md("'[Old link](https://evil.example/old) **bold**'")
    assert f"The link's creator {creator} is not in this brand's data, so every creator is shown." in said, said
    assert f"The link's product line {md(repr('No such line'))} is not in this brand's data" in " ".join(said), said
    assert any(text.startswith("The link's product 'B000000000' is not") for text in said), said
    picked = at.multiselect(key="filter_creator").options[0]
    at.multiselect(key="filter_creator").select(picked).run()
    assert not any("The link's creator" in caption.value for caption in at.sidebar.caption)
