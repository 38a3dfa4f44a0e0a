"""The app (``dashboard/app.py``) through Streamlit's AppTest, and what its Article page drew:
shared by the tests of the app and of the Article page. Widgets are found by key; the keys
are those of :mod:`dashboard.article.state`."""

import base64
import html
import json
import re

import numpy as np
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "dashboard" / "app.py")


HEADLINE = "China Urges International Efforts to Cease Gaza Conflict"


def run_app(**params) -> AppTest:
    """A fresh session of the app on a link with ``params``, after its first run."""
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    return at


def article_html(at) -> str:
    """The markup the article panel (a custom component) was sent."""
    (panel,) = at.get("bidi_component")
    return json.loads(panel.proto.json)["markup"]


def panel_text(at) -> str:
    """The article panel's text, as a reader sees it (tags dropped, entities unescaped)."""
    body = article_html(at).split("</style>", 1)[-1]
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def hits(at) -> list[str]:
    return re.findall(r'<mark class="nl-hit">(?:<span[^>]*>)?([^<]*)', article_html(at))


TABLE_EXPANDERS = (
    "article_words_table_open",
    "article_sentiment_table_open",
    "article_entities_table_open",
    "article_removed_open",
)


def open_tables(at) -> AppTest:
    """Tables are drawn only while their expander is open: open them all and rerun."""
    for key in TABLE_EXPANDERS:
        at.session_state[key] = True
    at.run()
    assert not at.exception
    return at


def open_sources(at) -> AppTest:
    """The "Add an article" section is drawn only while open: open it and rerun."""
    at.session_state["article_sources_open"] = True
    at.run()
    assert not at.exception
    return at


def open_options(at, *groups: str) -> AppTest:
    """The sidebar's option groups ("words", "sentiment", "entities") are drawn only while
    open: open ``groups`` and rerun."""
    for group in groups:
        at.session_state[f"article_options_{group}"] = True
    at.run()
    assert not at.exception
    return at


def show_tab(at, label: str) -> AppTest:
    """Only the open tab is drawn: open the tab labelled ``label`` and rerun."""
    at.session_state["article_tab"] = label
    at.run()
    assert not at.exception
    return at


def frame_with(at, *columns):
    """The table drawn in the open tab whose first columns are ``columns`` (the table
    expanders are opened first when it is not drawn yet)."""
    for attempt in range(2):
        for frame in at.dataframe:
            if list(frame.value.columns[: len(columns)]) == list(columns):
                return frame.value
        if attempt == 0:
            open_tables(at)
    raise AssertionError(f"no table with columns {columns}")


def figure(at, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def decode(values):
    """Plotly 7 encodes numeric arrays as {"dtype", "bdata"} (base64)."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return values
