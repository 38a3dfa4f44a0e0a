"""Build the Wikinews entity gold (``bench/data/entities-wikinews.jsonl``) from the hand
annotation (``bench/data/entities-wikinews.annotations.json``) and the articles' text.

    python bench/wikinews_gold.py [--articles FILE] [--check]

The annotation, written by a person reading each article, lists per article the named entities
a reader counts, each with its type and the forms the article writes it in ("Donald Trump",
"Trump"). This script only finds where those forms stand: every whole-word occurrence of a
form is a mention of its entity, longer forms first, and an occurrence inside a longer
annotated name is not a mention of its own ("Gdańsk" in "Medical University of Gdańsk").
``ignore_from`` leaves out the text from that marker on (a translation of a quotation).
The output has the format of ``entities-dev.jsonl`` (see ``../shared/data/README.md``), so
``../shared/tools/score_entities.py`` scores it. ``--check`` prints each entity's count.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANNOTATIONS = HERE / "data" / "entities-wikinews.annotations.json"
OUTPUT = HERE / "data" / "entities-wikinews.jsonl"
ARTICLES = HERE.parent.parent / "shared" / "data" / "wikinews" / "bench.jsonl.gz"
LICENSE = "CC BY 2.5 (Wikinews)"


def read_articles(path: Path) -> dict[str, dict]:
    """The Wikinews articles by id."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return {row["id"]: row for row in map(json.loads, handle) if row}


def gold_record(article: dict, annotation: dict) -> dict:
    """One line of the gold file: the article's text and its entities with their mentions."""
    text = article["text"]
    limit = text.find(annotation["ignore_from"]) if annotation.get("ignore_from") else -1
    end = limit if limit >= 0 else len(text)
    forms = sorted(
        ((form, k) for k, entity in enumerate(annotation["entities"]) for form in entity["forms"]),
        key=lambda pair: (-len(pair[0]), pair[0]),
    )
    taken: list[tuple[int, int]] = []
    mentions: dict[int, list[dict]] = {k: [] for k in range(len(annotation["entities"]))}
    for form, k in forms:
        for match in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text[:end]):
            start, stop = match.span()
            if any(start < b and a < stop for a, b in taken):
                continue
            taken.append((start, stop))
            mentions[k].append({"start": start, "end": stop, "text": form})
    entities = []
    for k, entity in enumerate(annotation["entities"]):
        found = sorted(mentions[k], key=lambda m: m["start"])
        if not found:
            raise SystemExit(f"{article['id']}: no mention of {entity['name']!r} found")
        entities.append(
            {
                "name": entity["name"],
                "type": entity["type"],
                "identity": None,
                "mentions": found,
            }
        )
    entities.sort(key=lambda e: -len(e["mentions"]))
    return {
        "id": article["id"],
        "genre": "news",
        "source_url": article["url"],
        "license": LICENSE,
        "text": text,
        "entities": entities,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=ARTICLES, metavar="FILE")
    parser.add_argument("--check", action="store_true", help="print each entity's count")
    args = parser.parse_args()
    articles = read_articles(args.articles)
    annotations = json.loads(ANNOTATIONS.read_text(encoding="utf-8"))
    records = [gold_record(articles[a["id"]], a) for a in annotations]
    with OUTPUT.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    if args.check:
        for record in records:
            print(f"\n{record['id']}")
            for entity in record["entities"]:
                print(f"  {len(entity['mentions']):3d}  {entity['name']} [{entity['type']}]")
    total = sum(len(e["mentions"]) for r in records for e in r["entities"])
    print(
        f"{OUTPUT.name}: {len(records)} articles, "
        f"{sum(len(r['entities']) for r in records)} entities, {total} mentions"
    )


if __name__ == "__main__":
    main()
