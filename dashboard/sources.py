"""Where articles come from: the sample articles in ``seeds/``. Pure (no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis.core.article import parse_article
from analysis.errors import ArticleError

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
SEED_SUFFIXES = (".txt", ".md", ".html", ".htm")


@dataclass(frozen=True)
class Seed:
    """A sample article: ``slug`` (its file name without suffix, used in links) and title."""

    slug: str
    title: str
    path: Path


def list_seeds(directory: Path = SEEDS_DIR) -> list[Seed]:
    """Every readable article in ``directory``, sorted by file name, listed by its title."""
    seeds = []
    for path in sorted(directory.iterdir()) if directory.is_dir() else []:
        if path.suffix.lower() not in SEED_SUFFIXES or not path.is_file():
            continue
        try:
            article = parse_article(path.read_bytes(), source=path.name)
        except (ArticleError, OSError):
            continue
        seeds.append(Seed(path.stem, article.title or path.stem, path))
    return seeds
