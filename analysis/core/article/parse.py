"""Raw text, HTML or bytes -> :class:`~analysis.core.article.model.Article` (see
:mod:`analysis.core.article`)."""

from __future__ import annotations

from dataclasses import replace

from analysis.core.article.decode import check_text, decoded_bytes
from analysis.core.article.html import (
    MIN_HTML_WORDS,
    extract_page,
    looks_like_html,
    no_html_text_message,
)
from analysis.core.article.lines import (
    Line,
    classify_line,
    end_lists,
    looks_like_headline,
    normalise_line,
    parse_byline,
    parse_dateline,
    pull_quotes,
    split_lines,
    subheading_blocks,
)
from analysis.core.article.model import DEFAULT_MAX_CHARS, Article, RemovedLine, Subheading
from analysis.core.article.pieces import MAX_PARAGRAPH_CHARS, paragraph_pieces
from analysis.errors import ArticleError


def parse_article(
    raw: str | bytes, *, source: str | None = None, max_chars: int = DEFAULT_MAX_CHARS
) -> Article:
    """Parse raw article text, HTML or bytes into an :class:`Article`.

    Args:
        raw: the input; ``bytes`` are decoded (UTF-8, UTF-16 with BOM, else cp1252).
        source: where it came from (file name or URL), kept for display.
        max_chars: size limit in characters.

    Returns:
        The cleaned article.

    Raises:
        ArticleError: empty input, binary data, over the size limit, or no article text.
    """
    limit = max_chars
    warnings: tuple[str, ...] = ()
    encoding = None
    if isinstance(raw, (bytes, bytearray, memoryview)):
        raw = bytes(raw)
        if not raw.strip():
            raise ArticleError(_empty_message(source))
        # UTF-8 never needs more than 4 bytes a character: refuse before decoding a huge upload.
        if len(raw) > 4 * limit:
            raise ArticleError(_size_message(len(raw), limit, unit="bytes"))
        text, encoding, warnings = decoded_bytes(raw)
    elif isinstance(raw, str):
        text = raw
    else:
        raise TypeError(f"parse_article expects str or bytes, not {type(raw).__name__}")
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ArticleError(_empty_message(source))
    if len(text) > limit:
        raise ArticleError(_size_message(len(text), limit))
    warnings += check_text(text)
    if looks_like_html(text):
        article = _parse_html(text, source=source, warnings=warnings)
    else:
        article = _parse_text(text, source=source, warnings=warnings)
    return replace(article, encoding=encoding) if encoding else article


def _empty_message(source: str | None) -> str:
    where = f" ({source})" if source else ""
    return f"The article is empty{where}: there is no text to analyse."


def _size_message(size: int, limit: int, *, unit: str = "characters") -> str:
    return (
        f"The article is too long: {size:,} {unit}, over the limit of {limit:,} characters "
        "(set NEWSLENS_MAX_CHARS to change it)."
    )


def _no_text_message() -> str:
    return (
        "No article text is left after cleaning: everything in the input was page furniture, "
        "captions or repeated lines."
    )


def _assemble_body(
    kept: list[Line],
) -> tuple[list[str], list[Subheading], list[RemovedLine], tuple[str, ...]]:
    """Join the kept lines into paragraphs (one per block; a block over
    :data:`MAX_PARAGRAPH_CHARS` is cut into several at sentence ends), take out pull quotes
    and set subheadings apart.

    Returns:
        The paragraphs, the subheadings, the pull quotes removed, and a note if a block was
        cut.
    """
    blocks: list[list[Line]] = []
    for line in kept:
        if blocks and blocks[-1][-1].block == line.block:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    texts = ["\n".join(line.text for line in block) for block in blocks]
    quoted = pull_quotes(texts)
    removed = [
        RemovedLine(
            texts[i],
            f"pull quote (repeats words of the paragraph on line {blocks[host][0].number}, "
            "printed large on the page)",
            "pullquote",
            blocks[i][0].number,
        )
        for i, host in quoted.items()
    ]
    body = [i for i in range(len(blocks)) if i not in quoted]
    headings = {body[k] for k in subheading_blocks([texts[i] for i in body])}
    paragraphs: list[str] = []
    subheadings: list[Subheading] = []
    for i in body:
        if i in headings:
            subheadings.append(Subheading(len(paragraphs) + 1, texts[i], blocks[i][0].number))
        else:
            paragraphs.extend(paragraph_pieces(texts[i]))
    return paragraphs, subheadings, removed, cut_note(paragraphs, [texts[i] for i in body])


def cut_note(paragraphs: list[str], texts: list[str]) -> tuple[str, ...]:
    """A note when paragraphs over :data:`MAX_PARAGRAPH_CHARS` were read as several (``texts``:
    the paragraphs as the text has them, ``paragraphs``: as they are read)."""
    long = sum(1 for text in texts if len(text) > MAX_PARAGRAPH_CHARS)
    if not long:
        return ()
    return (
        f"{long} paragraph(s) over {MAX_PARAGRAPH_CHARS:,} characters were each read as several "
        f"paragraphs, cut after a sentence end ({len(paragraphs)} paragraphs in all), so that "
        "what is worked out per paragraph stays in proportion to a paragraph.",
    )


#: How many body lines from the top a date line may stand and still be the article's date.
DATE_LINE_REACH = 3


def _date_line(kept: list[Line], published: str | None) -> tuple[int, str, RemovedLine] | None:
    """A date alone on a line near the top of the body (after a standfirst, or where the text
    has no headline), taken as the published date when no other was found.

    Returns:
        Its index in ``kept``, the ISO date and the removed line, or None.
    """
    if published is not None:
        return None
    for index, line in enumerate(kept[:DATE_LINE_REACH]):
        alone = all(other.block != line.block for other in kept if other is not line)
        if alone and (date := parse_dateline(line.text)):
            reason = "date line: used as the published date"
            return index, date, RemovedLine(line.text, reason, "dateline", line.number)
    return None


def _parse_text(text: str, *, source: str | None, warnings: tuple[str, ...]) -> Article:
    lines = split_lines(text)
    listed = end_lists([line.text for line in lines])
    title = author = published = None
    title_line: int | None = None
    header_done = len(lines) < 2  # one line is a paragraph, never a headline
    seen: dict[str, int] = {}
    removed: list[RemovedLine] = []
    kept: list[Line] = []
    for index, line in enumerate(lines):
        if index in listed:
            kind, reason = listed[index]
            removed.append(RemovedLine(line.text, reason, kind, line.number))
            continue
        verdict = classify_line(line, seen, title_line)
        seen.setdefault(normalise_line(line.text), line.number)
        if verdict is not None:
            removed.append(verdict)
            continue
        if not header_done:
            # The header zone: headline, then byline and dateline in any order, before the body.
            if published is None and (date := parse_dateline(line.text)):
                published = date
                continue
            if title is None and author is None and looks_like_headline(line.text):
                title, title_line = line.text, line.number
                continue
            if author is None and (name := parse_byline(line.text)):
                author = name
                continue
            header_done = True
        kept.append(line)

    if (found := _date_line(kept, published)) is not None:
        index, published, date_line = found
        kept, removed = kept[:index] + kept[index + 1 :], removed + [date_line]
    paragraphs, subheadings, quotes, cut = _assemble_body(kept)
    removed = sorted(removed + quotes, key=lambda line: line.line)
    if not paragraphs and title is not None:
        # A headline with nothing under it is the text itself.
        paragraphs, title = [title], None
    if not paragraphs:
        raise ArticleError(_no_text_message())
    return Article(
        title=title,
        author=author,
        published=published,
        paragraphs=tuple(paragraphs),
        removed=tuple(removed),
        warnings=warnings + cut,
        source=source,
        format="text",
        characters=len(text),
        subheadings=tuple(subheadings),
    )


def _parse_html(html: str, *, source: str | None, warnings: tuple[str, ...]) -> Article:
    page = extract_page(html, source=source)
    body, title, author, date = page.body, page.title, page.author, page.date
    warnings += page.warnings
    seen: dict[str, int] = {}
    title_line = None
    if title:
        seen[normalise_line(title)] = 0
        title_line = 0
    removed: list[RemovedLine] = []
    kept: list[Line] = []
    numbered = [(n, text.strip()) for n, text in enumerate(body.split("\n"), 1) if text.strip()]
    listed = end_lists([text for _, text in numbered])
    for index, (number, text) in enumerate(numbered):
        if index in listed:
            kind, reason = listed[index]
            removed.append(RemovedLine(text, reason, kind, number))
            continue
        line = Line(number, text, number)
        verdict = classify_line(line, seen, title_line)
        seen.setdefault(normalise_line(text), number)
        if verdict is not None:
            removed.append(verdict)
        else:
            kept.append(line)
    if (found := _date_line(kept, date)) is not None:
        index, date, date_line = found
        kept, removed = kept[:index] + kept[index + 1 :], removed + [date_line]
    paragraphs, subheadings, quotes, cut = _assemble_body(kept)
    removed = sorted(removed + quotes, key=lambda line: line.line)
    words = sum(len(paragraph.split()) for paragraph in paragraphs)
    if words < MIN_HTML_WORDS:
        raise ArticleError(
            no_html_text_message()
            + f" (it has {words} word{'s' if words != 1 else ''} of main text; an article has at "
            f"least {MIN_HTML_WORDS})."
        )
    return Article(
        title=title,
        author=author,
        published=date,
        paragraphs=tuple(paragraphs),
        removed=tuple(removed),
        warnings=warnings
        + (
            "Web page: the main text was extracted with trafilatura; navigation, scripts, "
            "styles and other page elements were left out.",
        )
        + cut,
        source=source,
        format="html",
        characters=len(html),
        subheadings=tuple(subheadings),
    )
