"""The one list of screens (st.navigation reads it) and the one workaround Streamlit's `pages/` folder needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import Any

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


@dataclass(frozen=True)
class Screen:
    key: str
    file: str
    title: str
    icon: str
    section: str


# Every screen, in the order the navigation lists them; the first is the default.
SCREENS: tuple[Screen, ...] = (
    Screen("overview", "pages/overview.py", "Overview", ":material/dashboard:", "Weekly review"),
    Screen("creators", "pages/creators.py", "Creators", ":material/groups:", "Weekly review"),
    Screen("products", "pages/products.py", "Products", ":material/inventory_2:", "Weekly review"),
    Screen("customers", "pages/customers.py", "Customers", ":material/person_heart:", "Weekly review"),
    Screen("organic_rank", "pages/organic_rank.py", "Organic rank", ":material/search_insights:", "Weekly review"),
    Screen("campaigns", "pages/campaigns.py", "Campaigns", ":material/campaign:", "Weekly review"),
    Screen("data", "pages/data.py", "Data", ":material/upload_file:", "Your data"),
)
PAGE_FILES = {screen.key: screen.file for screen in SCREENS}
PAGE_TITLES = {screen.key: screen.title for screen in SCREENS}


# The key of the container `page_links` draws the menu in: shown on screens where st.navigation's own menu is not
# (`ui.layout`'s styles), wider than Streamlit's breakpoint for a phone's sidebar.
MENU_KEY = "page_menu"


def navigation() -> Any:
    """st.navigation over SCREENS, grouped by section. Its menu is shown on a phone only: it closes the sidebar once
    a page is chosen, which a page link does not; elsewhere `page_links` draws the menu."""
    sections: dict[str, list[Any]] = {}
    for index, screen in enumerate(SCREENS):
        page = st.Page(screen.file, title=screen.title, icon=screen.icon, default=index == 0)
        sections.setdefault(screen.section, []).append(page)
    return st.navigation(sections)


def page_links(where: Any, params: Mapping[str, list[str]]) -> None:
    """The menu of SCREENS by section, each link carrying `params` (the view's brand, period and filters).

    st.navigation's own menu opens a page without the URL's parameters, and the page then wrote them back, each a
    new step in the browser's history: Back took three presses to leave a page. A link that carries them opens the
    page on its finished address, which the page leaves as it is: one step, one press."""
    menu = where.container(key=MENU_KEY)
    for section, screens in groupby(SCREENS, key=lambda screen: screen.section):
        menu.caption(section)
        for screen in screens:
            menu.page_link(screen.file, label=screen.title, icon=screen.icon, query_params=dict(params))


def ensure_entry_script() -> None:
    """Run the page again through app.py when Streamlit ran it alone.

    Until st.navigation has run once in the process, Streamlit routes a deep link (/creators) straight to
    pages/creators.py, without app.py's navigation and sidebar, because a `pages/` folder sits beside the entry
    script (the legacy multipage mode; see streamlit/streamlit#14217). Leave that mode, as st.navigation would,
    and rerun. A no-op whenever app.py is running the page, and under AppTest, which resets the mode before
    every run (a rerun there would drop the widget values the test set); tests fix that in a fixture.
    """
    if PagesManager.uses_pages_directory and not st.get_option("global.appTest"):
        PagesManager.uses_pages_directory = False
        st.rerun()
