"""The three-article corpus the Corpus page's tests run on, and how they read what it drew."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from analysis.storage.corpus import document_key

APP = Path(__file__).resolve().parents[1] / "corpus_app.py"


TEXTS = [
    (
        "Storm hits the coast\n\nThe storm reached Norway on Monday. Officials in Norway said the "
        "roads were closed.\n\nFishermen in Bergen waited for the wind to drop.",
        "2024-03-04",
        "daily.example",
    ),
    (
        "Norway reopens roads\n\nNorway reopened the coastal roads on Wednesday after the storm."
        '\n\n"We are glad the roads are open again," said Ingrid Berg.',
        "2024-03-20",
        "herald.example",
    ),
    (
        "Talks in Sweden\n\nSweden and Norway held talks about the storm damage in Bergen.",
        "2024-04-10",
        "daily.example",
    ),
]


KEYS = [document_key(text) for text, _, _ in TEXTS]


def frame_of(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table showing these columns (tables without selection carry no key)."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def html_of(at: AppTest) -> str:
    return "".join(e.proto.body for e in at.get("html"))


UPLOAD = [
    {
        "id": "u1",
        "title": "Harbour closes for repairs",
        "date": "2024-05-02",
        "source": "port.example",
        "text": "The harbour in Tromso closed on Thursday for repairs to the main pier.",
    },
    {
        "id": "u2",
        "title": "Ferries diverted",
        "date": "2024-05-03",
        "source": "port.example",
        "text": "Ferries from Tromso were sent to a smaller quay while the pier is rebuilt.",
    },
    {
        "id": "u3",
        "title": "Pier reopens",
        "date": "2024-06-11",
        "source": "coast.example",
        "text": '"The pier is stronger than before," said Kari Olsen, who runs the harbour.',
    },
]


def upload_bytes() -> bytes:
    """:data:`UPLOAD` as a JSONL file."""
    import json

    return "".join(json.dumps(r) + "\n" for r in UPLOAD).encode("utf-8")
