"""Write a one-line document of about 900 KB (the sample corpus's texts joined on one line),
the hostile case for memory per document: `python bench/one_line.py big900.jsonl`, then
`/usr/bin/time -v python -m analysis corpus add big900.jsonl --db big.duckdb -q`.
"""

import argparse
import json
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "seeds" / "corpus" / "wikinews-2019-2020.jsonl"


def one_line(size: int) -> str:
    """The sample texts joined by spaces, repeated and cut at a space to at most ``size``."""
    with SAMPLE.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines]
    text = " ".join(" ".join(t.split()) for t in texts)
    while len(text) < size:
        text = f"{text} {text}"
    return text[: text.rfind(" ", 0, size)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--size", type=int, default=900_000, help="characters (default 900000)")
    args = parser.parse_args()
    text = one_line(args.size)
    args.output.write_text(json.dumps({"id": "big", "text": text}) + "\n", encoding="utf-8")
    print(f"{args.output}: one document of {len(text):,} characters")


if __name__ == "__main__":
    main()
