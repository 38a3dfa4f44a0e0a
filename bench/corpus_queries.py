"""Corpus store benchmark (prints figures, asserts nothing).

Builds stores of 10,000 and 100,000 articles by copying a few synthetic template articles
(a headline and 12 paragraphs, ~600 words, 40 mentions each) under new keys, dates (spread over two years)
and outlets (12), with about one word in eight and every named entity varied per copy so the
vocabulary and entity lists grow like a real corpus's. Then times every query (median of 20
calls), opening the file read-only for each call and through one kept
:class:`~analysis.storage.corpus.store.CorpusReader`, and adding 10,000 articles through
``CorpusStore.add`` in batches of 100, then re-adding them (all skipped).

    python bench/corpus_queries.py [--sizes 10000 100000] [--dir /tmp/newslens-bench]
        [--runs 20] [--reuse] [--skip-add] [--only QUERY_NAME_START ...]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.storage.corpus import CorpusStore, empty_tables  # noqa: E402
from analysis.storage.corpus import keywords as K  # noqa: E402
from analysis.storage.corpus import queries as Q  # noqa: E402
from analysis.storage.corpus import selection as S  # noqa: E402
from analysis.storage.corpus import timeline as T  # noqa: E402
from analysis.storage.corpus.exchange import export_archive  # noqa: E402
from analysis.storage.corpus.schema import (  # noqa: E402
    CONTRACT,
    OUTLET_TOTALS,
    TERM_MONTHS_ROWS,
    TERM_SOURCES_ROWS,
    q,
    stored_table,
)
from analysis.storage.corpus.store import CorpusReader  # noqa: E402

TEMPLATES = 8
SOURCES = [f"outlet{i:02d}.example" for i in range(12)]
STOP = ["the", "a", "of", "to", "in", "and", "for", "on", "with", "at", "by", "is", "was", "that"]
PEOPLE = ["Ann Lee", "Omar Haddad", "Maria Santos", "John Carter", "Priya Nair", "Lin Jian"]
PLACES = ["Cairo", "Gaza", "Beijing", "Geneva", "Nairobi", "Lima", "Oslo", "Warsaw"]
ORGS = ["United Nations", "World Bank", "Red Cross", "African Union", "Reuters"]
NAMED = ("PERSON", "ORG", "GPE")
WORD = re.compile(r"[^\W\d_]+")


def _pseudo_word(index: int) -> str:
    """A distinct word of letters only (terms hold letters only), e.g. 0 -> "zeba"."""
    letters = "bcdfghjklmnprstvz"
    out = ""
    index += len(letters)
    while index:
        index, r = divmod(index, len(letters))
        out += letters[r] + "aeiou"[r % 5]
    return "z" + out


def template(seed: int) -> dict[str, pd.DataFrame]:
    """One synthetic article: headline and 12 body paragraphs of three sentences."""
    rng = random.Random(seed)
    vocab = [_pseudo_word(i) for i in range(3000)]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    k = f"template{seed}"
    tables = empty_tables()
    paragraphs, sentences, terms, mentions, quotes, esents = [], [], [], [], [], []
    for p in range(13):
        sent_texts, ents = [], []
        for s in range(1 if p == 0 else 3):
            words = rng.choices(vocab, weights, k=8 if p == 0 else 12)
            words += rng.choices(STOP, k=4)
            rng.shuffle(words)
            kinds = [
                (rng.choice(PEOPLE), "PERSON"),
                (rng.choice(PLACES), "GPE"),
                (rng.choice(ORGS), "ORG"),
            ]
            names = [] if p == 0 else [kinds[(p + s) % 3]]
            if p % 3 == 1 and s == 0:
                names.append(("Monday", "DATE"))
            sentence = " ".join(words[:4] + [n for n, _ in names] + words[4:]) + "."
            sent_texts.append((sentence, names))
        text = ""
        for s, (sentence, names) in enumerate(sent_texts):
            start = len(text)
            text += sentence + " "
            vader = round(rng.uniform(-0.8, 0.8), 3)
            sentences.append(
                {
                    "doc_key": k,
                    "paragraph": p,
                    "sentence": s,
                    "start": start,
                    "end": start + len(sentence),
                    "text": sentence,
                    "polarity": vader / 2,
                    "subjectivity": 0.5,
                    "vader": vader,
                }
            )
            for name, label in names:
                pos = text.index(name, start)
                mentions.append(
                    {
                        "doc_key": k,
                        "paragraph": p,
                        "start": pos,
                        "end": pos + len(name),
                        "text": name,
                        "label": label,
                        "entity": name,
                    }
                )
                if label in NAMED:
                    esents.append(
                        {
                            "doc_key": k,
                            "entity": name,
                            "type": label,
                            "paragraph": p,
                            "sentence": s,
                            "mentions": 1,
                            "polarity": vader / 2,
                            "vader": vader,
                        }
                    )
                ents.append((name, label))
        text = text.strip()
        if p in (3, 6, 9):
            quote = " ".join(rng.choices(vocab[:300], k=12))
            speaker = rng.choice(PEOPLE)
            quotes.append(
                {
                    "doc_key": k,
                    "paragraph": p,
                    "start": 0,
                    "end": len(quote),
                    "quote": quote,
                    "speaker": speaker,
                    "entity": speaker,
                    "words": 12,
                }
            )
        vader = round(rng.uniform(-0.5, 0.5), 3)
        paragraphs.append(
            {
                "doc_key": k,
                "paragraph": p,
                "kind": "headline" if p == 0 else "body",
                "text": text,
                "polarity": vader / 2,
                "subjectivity": 0.5,
                "vader": vader,
                "words": len(WORD.findall(text)),
                "sentences": len(sent_texts),
            }
        )
        for term, count in Counter(w.casefold() for w in WORD.findall(text)).items():
            terms.append(
                {
                    "doc_key": k,
                    "paragraph": p,
                    "term": term,
                    "lemma": term,
                    "is_stop": term in STOP,
                    "count": count,
                }
            )
    entity_rows = {}
    for m in mentions:
        if m["label"] in NAMED:
            row = entity_rows.setdefault(
                (m["entity"], m["label"]), {"count": 0, "paragraphs": set()}
            )
            row["count"] += 1
            row["paragraphs"].add(m["paragraph"])
    body = [r for r in paragraphs if r["kind"] == "body"]
    tone = sum(r["vader"] for r in body) / len(body)
    tables["articles"] = pd.DataFrame(
        [
            {
                "doc_key": k,
                "version": 1,
                "title": paragraphs[0]["text"],
                "author": None,
                "published": None,
                "date": pd.Timestamp("2024-01-01"),
                "source": SOURCES[0],
                "url": None,
                "words": sum(r["words"] for r in body),
                "paragraphs": len(body),
                "tone_vader": tone,
                "tone_textblob": tone / 2,
                "top_entities": "",
            }
        ]
    )
    tables["paragraphs"] = pd.DataFrame(paragraphs)
    tables["sentences"] = pd.DataFrame(sentences)
    tables["terms"] = pd.DataFrame(terms)
    tables["mentions"] = pd.DataFrame(mentions)
    tables["entities"] = pd.DataFrame(
        [
            {
                "doc_key": k,
                "entity": e,
                "label": lab,
                "count": v["count"],
                "paragraphs": sorted(v["paragraphs"]),
            }
            for (e, lab), v in sorted(entity_rows.items())
        ]
    )
    tables["quotes"] = pd.DataFrame(quotes)
    tables["entity_sentences"] = pd.DataFrame(esents)
    return tables


def fill(path: Path, count: int, templates: list[dict[str, pd.DataFrame]]) -> float:
    """Write ``count`` copies straight into a new store with SQL (the setup, not the measure)."""
    for suffix in ("", ".wal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    store = CorpusStore(path)
    store.ensure()
    started = time.perf_counter()
    con = duckdb.connect(str(path))
    for name in CONTRACT:
        frame = pd.concat(
            [t[name].assign(template=i) for i, t in enumerate(templates)], ignore_index=True
        )
        # Templates built before the collector's columns existed: their defaults.
        for column in CONTRACT[name]:
            if column.name not in frame.columns:
                frame[column.name] = 1 if column.name == "revision" else None
        con.register(f"tpl_{name}", frame)
    varied = (
        "CASE WHEN t.label IN ('PERSON', 'ORG', 'GPE') THEN t.entity || ' ' || "
        "CAST(hash(t.entity, c.doc_id) % 40 AS VARCHAR) ELSE t.entity END"
    )
    exprs = {
        "terms": {
            "term": "CASE WHEN hash(c.doc_id, t.paragraph, t.term) % 8 = 0 AND NOT t.is_stop "
            "THEN 'rare' || CAST(hash(c.doc_id, t.term) % 200000 AS VARCHAR) ELSE t.term END"
        },
        "mentions": {"entity": varied},
        "entities": {"entity": varied},
        "entity_sentences": {"entity": varied.replace("t.label", "t.type")},
        "quotes": {
            "entity": varied.replace("t.label IN ('PERSON', 'ORG', 'GPE')", "t.entity IS NOT NULL")
        },
    }
    days = 730
    chunk = 10_000
    for first in range(1, count + 1, chunk):
        last = min(first + chunk - 1, count)
        con.execute("BEGIN")
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE copies AS
            SELECT i AS doc_id, sha256('copy' || i) AS doc_key, i % {TEMPLATES} AS template,
                   DATE '2023-01-01' + CAST(floor((i - 1) * {days} / {count}) AS INTEGER) AS date,
                   list_extract(?::VARCHAR[], 1 + CAST(hash(i) % {len(SOURCES)} AS INTEGER)) AS source
            FROM range({first}, {last + 1}) r(i)
        """,
            [SOURCES],
        )
        for name, columns in CONTRACT.items():
            cols = []
            for c in columns[1:]:
                if name == "articles" and c.name in ("date", "source"):
                    cols.append(f"c.{c.name}")
                else:
                    cols.append(exprs.get(name, {}).get(c.name, f"t.{q(c.name)}"))
            key = "c.doc_id, c.doc_key" if name == "articles" else "c.doc_id"
            names = ", ".join(
                [
                    "doc_id",
                    *(["doc_key"] if name == "articles" else []),
                    *(q(c.name) for c in columns[1:]),
                ]
            )
            con.execute(f"""INSERT INTO {stored_table(name)} ({names}) SELECT {key}, {", ".join(cols)}
                            FROM copies c JOIN tpl_{name} t USING (template) ORDER BY c.doc_id""")
        con.execute("COMMIT")
    con.execute("DELETE FROM term_totals")
    con.execute(
        "INSERT INTO term_totals SELECT term, bool_or(is_stop), sum(count), count(DISTINCT doc_id) "
        "FROM terms GROUP BY term"
    )
    con.execute("DELETE FROM term_months")
    con.execute(
        "INSERT INTO term_months "
        + TERM_MONTHS_ROWS.format(sign="", where="TRUE")
        + " ORDER BY month, source, term"
    )  # as compact() leaves it
    con.execute("DELETE FROM term_sources")
    con.execute(
        "INSERT INTO term_sources BY NAME "
        + TERM_SOURCES_ROWS.format(sign="", where="TRUE")
        + " ORDER BY source, term"
    )
    for totals in OUTLET_TOTALS:
        con.execute(f"DELETE FROM {totals.table}")
        con.execute(totals.fill())
    con.execute("DELETE FROM postings")
    con.execute(
        "INSERT INTO postings SELECT term, doc_id, paragraph, count FROM terms "
        "ORDER BY term, doc_id, paragraph"
    )
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - started


def queries(store: CorpusStore, source: object = None) -> dict[str, callable]:
    """The timed calls, reading ``source`` (default: ``store``, opened for each call)."""
    with store.reader() as con:
        key = con.execute(
            "SELECT doc_key FROM articles ORDER BY doc_id LIMIT 1 OFFSET 7"
        ).fetchone()[0]
        person = con.execute(
            "SELECT entity FROM entities WHERE label = 'PERSON' "
            "GROUP BY entity ORDER BY sum(count) DESC, entity LIMIT 1"
        ).fetchone()[0]
        place = con.execute(
            "SELECT entity FROM entities WHERE label = 'GPE' "
            "GROUP BY entity ORDER BY sum(count) DESC, entity LIMIT 1"
        ).fetchone()[0]
        words = con.execute(
            "SELECT term FROM term_totals WHERE NOT is_stop ORDER BY count DESC, term "
            "LIMIT 3 OFFSET 20"
        ).fetchall()
        # Two adjacent words of one template paragraph, neither among the 100 most common.
        text = con.execute(
            "SELECT text FROM paragraphs WHERE doc_id = 4 AND paragraph = 5"
        ).fetchone()[0]
    two = f"{words[0][0]} {words[1][0]}"
    # Three frequent words, each in most articles: the dearest kind of Boolean query.
    boolean = f"({words[0][0]} OR {words[1][0]}) AND NOT {words[2][0]}"
    common = {_pseudo_word(i) for i in range(100)}
    tokens = [t.strip(".") for t in text.split()]
    pair = next(
        f"{a} {b}"
        for a, b in zip(tokens, tokens[1:], strict=False)
        if all(t.startswith("z") and t not in common for t in (a, b))
    )
    month = {"start": "2024-03-01", "end": "2024-03-31"}
    store = store if source is None else source
    return {
        "corpus_info": lambda: Q.corpus_info(store),
        "source_counts": lambda: Q.source_counts(store),
        "article_table (all, by tone, 50 rows)": lambda: Q.article_table(
            store, sort="tone_vader", limit=50
        ),
        "article_table (text filter)": lambda: Q.article_table(store, text=two, limit=50),
        "mentions_over_time (2 entities, 1 term, week)": lambda: Q.mentions_over_time(
            store, entities=[person, place], terms=[words[0][0]], interval="week"
        ),
        "mentions_over_time (by source, month)": lambda: Q.mentions_over_time(
            store, entities=[person], interval="month", by_source=True
        ),
        "top_entities (all)": lambda: Q.top_entities(store),
        "top_entities (PERSON, 3 sources)": lambda: Q.top_entities(
            store, labels=["PERSON"], sources=SOURCES[:3]
        ),
        "top_terms (all)": lambda: Q.top_terms(store),
        "top_terms (one month)": lambda: Q.top_terms(store, **month),
        "top_terms (one source)": lambda: Q.top_terms(store, sources=[SOURCES[1]]),
        "top_terms (days 3-20 of a month)": lambda: Q.top_terms(
            store, start="2024-03-03", end="2024-03-20"
        ),
        "article_sentiment (all)": lambda: Q.article_sentiment(store),
        "article_sentiment (toward entity)": lambda: Q.article_sentiment(store, toward=person),
        "sentiment_over_time (week, by source)": lambda: Q.sentiment_over_time(
            store, by_source=True
        ),
        "entity_sentiment_over_time": lambda: Q.entity_sentiment_over_time(store, entity=person),
        "cooccurrence (top 10)": lambda: Q.cooccurrence(store, top=10),
        "cooccurrence (top 10, one month)": lambda: Q.cooccurrence(store, top=10, **month),
        "cooccurrence_paragraphs": lambda: Q.cooccurrence_paragraphs(
            store, entity_a=person, entity_b=place
        ),
        "quoted_speakers": lambda: Q.quoted_speakers(store),
        "quoted_speakers (by source)": lambda: Q.quoted_speakers(store, by_source=True, limit=5),
        "distinctive_terms (article)": lambda: Q.distinctive_terms(store, doc_key=key),
        "distinctive_terms (source)": lambda: Q.distinctive_terms(store, of_source=SOURCES[2]),
        "distinctive_terms (month)": lambda: Q.distinctive_terms(store, **month),
        "search (2 words)": lambda: Q.search(store, two),
        "search (phrase of 2 common words)": lambda: Q.search(store, f'"{two}"'),
        "search (phrase of 2 rarer words)": lambda: Q.search(store, f'"{pair}"'),
        "search (word, one month)": lambda: Q.search(store, words[0][0], **month),
        "selection (3-term Boolean query)": lambda: S.selection_summary(store, text=boolean),
        "article_table (3-term Boolean query)": lambda: Q.article_table(
            store, text=boolean, limit=50
        ),
        "query_reading (3-term Boolean query)": lambda: S.query_reading(store, boolean),
        "coverage (3-term Boolean query, week)": lambda: T.coverage(
            store, text=boolean, interval="week"
        ),
        "search (3-term Boolean query)": lambda: Q.search(store, boolean, limit=20),
        "top_terms (all, speaker labels kept)": lambda: Q.top_terms(store, drop_markers=False),
        "top_terms (one month, labels kept)": lambda: Q.top_terms(
            store, drop_markers=False, **month
        ),
        "mentions_series (2 entities, 1 term, week)": lambda: T.mentions_series(
            store, entities=[person, place], terms=[words[0][0]], interval="week"
        ),
        "tone_series (week, by source)": lambda: T.tone_series(store, by_source=True),
        "keyness (source)": lambda: K.keyness(store, of_source=SOURCES[2]),
        "keyness (month)": lambda: K.keyness(store, of_start=month["start"], of_end=month["end"]),
        "keyness (source, labels kept)": lambda: K.keyness(
            store, of_source=SOURCES[2], drop_markers=False
        ),
        "default_target": lambda: K.default_target(store),
        "export_archive (one month, parquet)": lambda: export_archive(store, **month),
    }


def median_ms(fn, runs: int) -> float:
    fn()  # warm the OS page cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def bench_add(
    directory: Path, templates: list[dict[str, pd.DataFrame]], count: int = 10_000
) -> None:
    path = directory / "add.duckdb"
    for suffix in ("", ".wal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    store = CorpusStore(path)
    store.ensure()
    articles = []
    for i in range(count):
        new_key = f"{i:064x}"
        t = templates[i % len(templates)]
        articles.append({name: frame.assign(doc_key=new_key) for name, frame in t.items()})
        articles[-1]["articles"] = articles[-1]["articles"].assign(
            date=pd.Timestamp("2023-01-01") + pd.Timedelta(days=i * 730 // count),
            source=SOURCES[i % 12],
        )
    for label in ("add", "re-add (skipped)"):
        started = time.perf_counter()
        written = sum(store.add(articles[i : i + 100]) for i in range(0, count, 100))
        elapsed = time.perf_counter() - started
        print(
            f"{label}: {count:,} articles in batches of 100: {elapsed:.1f} s "
            f"({elapsed / (count / 100) * 1000:.0f} ms per batch), {written:,} written"
        )
    started = time.perf_counter()
    rows = store.compact()
    print(f"compact: {rows:,} postings sorted in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/newslens-bench"))
    parser.add_argument("--skip-add", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep stores built by an earlier run")
    parser.add_argument(
        "--only", nargs="+", default=None, help="time the queries whose name starts so"
    )
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    templates = [template(seed) for seed in range(TEMPLATES)]
    per_article = {name: len(templates[0][name]) for name in CONTRACT}
    print(
        f"load average at start: {os.getloadavg()[0]:.2f}; template rows per article: {per_article}; "
        f"words {templates[0]['articles']['words'][0]}"
    )
    results: dict[str, list[float]] = {}
    for size in args.sizes:
        path = args.dir / f"corpus-{size}.duckdb"
        seconds = 0.0 if args.reuse and path.exists() else fill(path, size, templates)
        store = CorpusStore(path)
        with store.reader() as con:
            rows = {
                n: con.execute(f"SELECT count(*) FROM {n}").fetchone()[0]
                for n in ("terms", "mentions")
            }
        print(
            f"\n{size:,} articles: filled in {seconds:.1f} s, file {path.stat().st_size / 1e6:.0f} MB, "
            f"rows {rows}"
        )
        reader = CorpusReader(store, idle=60)
        print(f"  {'query':48s} {'open per call':>14s} {'kept reader':>12s}")
        kept = queries(store, reader)
        for name, fn in queries(store).items():
            if args.only and not name.startswith(tuple(args.only)):
                continue
            # Closed while the file is opened per call: DuckDB would reuse an open instance.
            reader.close()
            per_call = median_ms(fn, args.runs)
            ms = per_call, median_ms(kept[name], args.runs)
            results.setdefault(name, []).append(ms)
            print(f"  {name:48s} {ms[0]:11.1f} ms {ms[1]:9.1f} ms")
        reader.close()
    if len(args.sizes) > 1:
        print(f"\ngrowth {args.sizes[0]:,} -> {args.sizes[-1]:,} (open per call, kept reader):")
        for name, values in results.items():
            print(
                f"  {name:48s} x{values[-1][0] / values[0][0]:5.1f} x{values[-1][1] / values[0][1]:5.1f}"
            )
    if not args.skip_add:
        print()
        bench_add(args.dir, templates)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
