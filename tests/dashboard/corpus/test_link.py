"""The Corpus and Compare pages' share link: parsed, checked, written back (pure)."""

from __future__ import annotations

from datetime import date

from dashboard.corpus.link import CorpusState, Point, from_query, parse_point, to_query


def test_from_query_reads_every_field():
    state, notes = from_query(
        {
            "corpus": "news.duckdb",
            "start": "2024-03-01",
            "end": "2024-03-31",
            "sources": "a.example,b\\,c",
            "q": '"central bank"',
            "entity": "Norway",
            "items": "e:Norway,t:Storm",
            "lines": "source",
            "interval": "week",
            "point": "2024-03-04|e:Norway",
            "types": "GPE,person",
            "top": "20",
            "model": "textblob",
            "pair": "Bergen|Sweden",
            "dist": "month:2024-03",
            "open": "pairs,quoted",
            "compare": "ABCDEF12,12345678",
        }
    )
    assert notes == []
    assert state == CorpusState(
        corpus="news.duckdb",
        start=date(2024, 3, 1),
        end=date(2024, 3, 31),
        sources=("a.example", "b,c"),
        q='"central bank"',
        entity="Norway",
        items=("e:Norway", "t:storm"),
        lines="source",
        interval="week",
        point="2024-03-04|e:Norway",
        types=("GPE", "PERSON"),
        top=20,
        model="textblob",
        pair="Bergen|Sweden",
        dist="month:2024-03",
        open=("quoted", "pairs", "dist"),
        compare=("abcdef12", "12345678"),
    )


def test_from_query_open_views_drops_unknown_names():
    state, notes = from_query({"open": "dist,charts,quoted"})
    assert state.open == ("quoted", "dist")
    assert notes == ["“charts” is not a view (“open” lists quoted, pairs, dist)"]


def test_from_query_pair_without_open_shows_its_view():
    assert from_query({"pair": "Bergen|Sweden"})[0].open == ("pairs",)


def test_to_query_writes_open_views():
    assert to_query(CorpusState(open=("quoted", "dist"))) == {"open": "quoted,dist"}


def test_from_query_drops_invalid_parts_with_reasons():
    state, notes = from_query(
        {
            "corpus": "../etc",
            "interval": "year",
            "compare": "abcdef12",
            "end": "2024-13-01",
            "items": "x:1",
            "zz": "1",
        }
    )
    assert state == CorpusState()
    assert notes == [
        "“corpus” (corpus) must be “sample” or the file name of a stored corpus",
        "“end” (last day) must be a day written YYYY-MM-DD, not before the first day",
        "“items” (coverage entities and terms) must list 1 to 8 values such as e:China or t:virus",
        "“interval” (granularity) must be one of day, week, month",
        "“compare” (articles compared) must list 2 to 4 article keys (hexadecimal)",
        "“zz” is not a setting a NewsLens corpus link carries",
    ]


def test_from_query_end_before_start_is_dropped():
    state, notes = from_query({"start": "2024-03-10", "end": "2024-03-01"})
    assert (state.start, state.end, len(notes)) == (date(2024, 3, 10), None, 1)


def test_to_query_round_trip():
    state = CorpusState(
        start=date(2024, 3, 1),
        sources=("a,b", "c"),
        items=("e:Norway",),
        interval="week",
        compare=("abcdef12", "12345678"),
    )
    query = to_query(state)
    assert query == {
        "start": "2024-03-01",
        "sources": "a\\,b,c",
        "items": "e:Norway",
        "interval": "week",
        "compare": "abcdef12,12345678",
    }
    assert from_query(query) == (state, [])


def test_to_query_default_is_empty():
    assert to_query(CorpusState()) == {}


def test_parse_point_valid_and_invalid():
    assert [
        parse_point("2024-03-04|e:Norway"),
        parse_point("2024-03-04"),
        parse_point("March|e:Norway"),
    ] == [Point(date(2024, 3, 4), "e:Norway"), None, None]


def test_from_query_reads_issue_21_fields():
    state, notes = from_query({"measure": "share", "dups": "1", "stop": "1", "xstop": "said"})
    assert (notes, state.measure, state.dups, state.stop, state.xstop) == (
        [],
        "share",
        True,
        True,
        "said",
    )


def test_to_query_writes_flags_as_one():
    state = CorpusState(measure="share", dups=True, stop=True, xstop="said also")
    assert to_query(state) == {"measure": "share", "dups": "1", "stop": "1", "xstop": "said also"}


def test_from_query_refuses_an_unknown_measure():
    state, notes = from_query({"measure": "ratio"})
    assert (state.measure, notes) == (
        "count",
        ["“measure” (coverage measure) must be count or share"],
    )
