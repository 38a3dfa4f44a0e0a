"""A deterministic corpus of news-length documents for benchmarks (not tests).

Documents are assembled from the sample article's sentences and from templated news sentences
with varied names, places and numbers, so that spaCy sees realistic, non-identical text.
"""

from __future__ import annotations

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "china-urges-gaza-ceasefire-2024-03-21.txt"

PEOPLE = [
    "Lin Jian",
    "Wang Kejian",
    "Ann Lee",
    "Omar Haddad",
    "Maria Santos",
    "John Carter",
    "Priya Nair",
    "Yusuf Demir",
    "Elena Petrova",
    "Kwame Mensah",
]
PLACES = [
    "Cairo",
    "Gaza",
    "Beijing",
    "Doha",
    "Geneva",
    "Brussels",
    "Nairobi",
    "Jakarta",
    "Lima",
    "Oslo",
    "Ankara",
    "Warsaw",
]
ORGS = [
    "the United Nations",
    "the European Union",
    "the World Bank",
    "the Red Cross",
    "the African Union",
    "Reuters",
    "the Foreign Ministry",
    "the central bank",
]
TEMPLATES = [
    "{person} told reporters in {place} on {day} that talks with {org} had made good progress.",
    "Officials in {place} said {number} people were injured after the attack, a sharp rise.",
    "{org} warned that the crisis in {place} could get much worse without urgent help.",
    "Critics accused {person} of failing to act, calling the response slow and disappointing.",
    "The agreement, signed in {place}, commits both sides to a ceasefire of {number} days.",
    '"We welcome this positive step," {person} said in a statement issued by {org}.',
    "Prices in {place} rose by {number} percent last month, the highest level in a decade.",
    "Aid workers described terrible conditions, with shortages of food, water and medicine.",
    "{person}, who arrived in {place} on {day}, is expected to meet leaders from {org}.",
    "Analysts said the decision was a serious setback for efforts to restore stability.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def sample_sentences() -> list[str]:
    text = SAMPLE.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if len(p) > 80 and "Photo:" not in p]
    sentences = []
    for paragraph in paragraphs:
        sentences.extend(s.strip() + "." for s in paragraph.split(". ") if len(s) > 30)
    return sentences


def documents(count: int, *, seed: int = 0, words: int = 450) -> list[dict]:
    """``count`` documents of about ``words`` words: a headline and 6-12 paragraphs."""
    rng = random.Random(seed)
    pool = sample_sentences()
    docs = []
    for number in range(count):
        paragraphs = []
        total = 0
        while total < words:
            sentences = []
            for _ in range(rng.randint(1, 3)):
                if rng.random() < 0.3:
                    sentences.append(rng.choice(pool).rstrip(".") + ".")
                else:
                    sentences.append(
                        rng.choice(TEMPLATES).format(
                            person=rng.choice(PEOPLE),
                            place=rng.choice(PLACES),
                            org=rng.choice(ORGS),
                            day=rng.choice(DAYS),
                            number=rng.randint(2, 900),
                        )
                    )
            paragraph = " ".join(sentences)
            paragraphs.append(paragraph)
            total += len(paragraph.split())
        headline = f"{rng.choice(PEOPLE)} Visits {rng.choice(PLACES)} as Talks Continue"
        text = headline + "\n\nBy " + rng.choice(PEOPLE) + "\n\n" + "\n\n".join(paragraphs)
        docs.append({"id": f"doc-{number:05d}", "text": text})
    return docs


def word_count(texts) -> int:
    return sum(len(text.split()) for text in texts)
