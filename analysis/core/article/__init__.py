"""Raw text, HTML or bytes -> :class:`Article`: headline, byline, date, body paragraphs and the
lines the cleaner removed, each with its reason.

The cleaner never rewrites body text: a paragraph is the input's lines joined by ``\\n`` with
only their outer whitespace trimmed. Everything it drops is kept in :attr:`Article.removed`
with its reason and kind, so the user can see it:

- photo captions and credits, lines repeated verbatim, short page furniture ("Trending Now"),
  separators;
- the list of sources or related articles closing the article (:func:`end_lists`);
- labelled lines (:func:`line_label`): category and tag lists, "Read more: ..." links, staff
  credits ("Reporting by ...; Editing by ..."), copyright notices;
- pull quotes, quotations repeated from a body paragraph (:func:`pull_quotes`);
- a date alone on a line near the top of the body, which becomes the published date.

A headline, a byline and a date line at the top are read into :class:`Article`'s fields.
Short headings between body paragraphs ("What happens next") are kept apart as
:attr:`Article.subheadings`: shown, not analysed, not numbered as paragraphs. A web page's
title loses the site name or date appended to it (:func:`clean_title`).
"""

from analysis.core.article.decode import decode_bytes
from analysis.core.article.html import clean_title, looks_like_html
from analysis.core.article.lines import (
    end_lists,
    is_caption,
    is_furniture,
    is_subheading,
    line_label,
    parse_byline,
    parse_dateline,
    pull_quotes,
    subheading_blocks,
)
from analysis.core.article.model import (
    DEFAULT_MAX_CHARS,
    Article,
    RemovedLine,
    Segment,
    Subheading,
)
from analysis.core.article.parse import parse_article

__all__ = [
    "DEFAULT_MAX_CHARS",
    "Article",
    "RemovedLine",
    "Segment",
    "Subheading",
    "clean_title",
    "decode_bytes",
    "end_lists",
    "is_caption",
    "is_furniture",
    "is_subheading",
    "line_label",
    "looks_like_html",
    "parse_article",
    "parse_byline",
    "parse_dateline",
    "pull_quotes",
    "subheading_blocks",
]
