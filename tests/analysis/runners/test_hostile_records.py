"""A property over hostile JSONL records (issue 22): whatever a line holds (random Unicode with
lone surrogates and NUL, huge and deeply nested values, numbers too long to read, bytes that
are not UTF-8), it is stored, skipped as a repeat, or exactly one error row, and the run ends
normally (never the command line's exit 70)."""

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.runners.corpus import run_local
from analysis.sources.files import read_inputs
from analysis.storage.corpus import CorpusStore

MAX_CHARS = 3_000
SURROGATES = st.sampled_from(["\ud800", "\udbff", "\udc80", "\udfff", "\ud83d"])
CHARACTERS = st.one_of(st.characters(), SURROGATES, st.just("\x00"))
TEXT = st.text(CHARACTERS, max_size=120)
PROSE = st.lists(
    st.one_of(
        st.sampled_from(
            ["The council", "met on Monday", "in Springfield.", "Ann Lee said", "\n\n"]
        ),
        TEXT,
    ),
    min_size=1,
    max_size=8,
).map(" ".join)
#: Stand-ins replaced, once serialised, by raw JSON that json.dumps cannot write.
DEEP = "@@deep@@"
LONG_NUMBER = "@@number@@"
VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    TEXT,
    st.lists(TEXT, max_size=3),
    st.dictionaries(TEXT, TEXT, max_size=2),
    st.just(DEEP),
    st.just(LONG_NUMBER),
)
HUGE_TEXT = st.integers(min_value=MAX_CHARS * 2, max_value=MAX_CHARS * 30).map(
    lambda n: "word " * n
)
RECORD = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(TEXT, st.integers()),
        "text": st.one_of(PROSE, HUGE_TEXT, VALUE),
        "title": st.one_of(TEXT, VALUE),
        "author": TEXT,
        "date": st.one_of(TEXT, st.sampled_from(["2024-03-21", "Thu, 21 Mar 2024 08:15:00 +0100"])),
        "source": VALUE,
    },
)
GARBAGE = st.binary(min_size=1, max_size=80).filter(lambda b: b"\n" not in b and b.strip())
DEPTH = st.integers(min_value=1, max_value=200_000)


def line_of(record: dict, depth: int) -> bytes:
    text = json.dumps(record, ensure_ascii=True)
    text = text.replace(f'"{DEEP}"', "[" * depth + "]" * depth)
    text = text.replace(f'"{LONG_NUMBER}"', "1" + "0" * 5_000)
    return text.encode()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    lines=st.lists(
        st.one_of(st.tuples(RECORD, DEPTH).map(lambda rd: line_of(*rd)), GARBAGE),
        min_size=1,
        max_size=6,
    )
)
def test_every_hostile_record_is_stored_or_one_error_row(nlp, lines):
    with tempfile.TemporaryDirectory() as folder:
        feed = Path(folder) / "feed.jsonl"
        # The first record names the text field, as every record file must.
        first = json.dumps({"id": "first", "text": "The council met on Monday."}).encode()
        feed.write_bytes(b"\n".join([first, *lines]) + b"\n")
        store = CorpusStore(Path(folder) / "corpus.duckdb")
        report = run_local(
            read_inputs([str(feed)], max_chars=MAX_CHARS), store=store, nlp=nlp, max_chars=MAX_CHARS
        )
        stored = store.article_counts().total
        error_rows = len(store.errors())
    assert (
        report.added + report.skipped + report.failed,
        stored,
        error_rows,
    ) == (1 + len(lines), report.added, report.failed)
