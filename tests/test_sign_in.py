"""Sign-in is off without configuration, and with an [auth] section nothing shows before signing in."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("entry_script_on_every_run")

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-real-secret",
    "client_id": "creator-lift",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "https://accounts.example.com/.well-known/openid-configuration",
}


def test_without_auth_configured_the_review_opens(app_env) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert len(at.metric) >= 9
    assert not [b for b in at.button if b.key == "sign_in"]


def test_with_auth_configured_a_visitor_sees_only_the_sign_in_button(app_env) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.run()
    assert not at.exception
    assert [b.key for b in at.button] == ["sign_in"]
    assert len(at.metric) == 0 and len(at.dataframe) == 0
