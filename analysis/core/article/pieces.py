"""Long texts cut at sentence ends.

A paragraph longer than :data:`MAX_PARAGRAPH_CHARS` (a whole document on one line, a page
whose paragraphs were lost) is read as several paragraphs, cut after a sentence end
(:func:`text_pieces`): what is computed per paragraph (tone, entities named together, the
sentences of each entity) then stays in proportion to a paragraph, not to the document, and
spaCy never reads more than that at once. News paragraphs are far shorter, so an ordinary
article is never cut.
"""

from __future__ import annotations

import re

#: The longest paragraph read as one; longer ones are cut (see the module docstring).
MAX_PARAGRAPH_CHARS = 20_000
#: Where a piece may end: after a sentence's closing punctuation (and quotes) and whitespace.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")


def text_pieces(text: str, *, limit: int = MAX_PARAGRAPH_CHARS) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters that join back into it: each
    ends after the last sentence end within the limit, else the last whitespace, else at the
    limit.

    Returns:
        the pieces, in order (``[text]`` when it is short enough).
    """
    pieces = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        ends = [m.end() for m in _SENTENCE_END.finditer(window)]
        cut = ends[-1] if ends else 0
        if cut < limit // 2:
            space = max(window.rfind(" "), window.rfind("\n"))
            cut = space + 1 if space >= limit // 2 else (cut or limit)
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def paragraph_pieces(text: str, *, limit: int = MAX_PARAGRAPH_CHARS) -> list[str]:
    """A paragraph as the paragraphs it is read as: itself when at most ``limit`` characters,
    else its :func:`text_pieces` without the spaces at their ends.

    Returns:
        one or more non-empty paragraphs.
    """
    if len(text) <= limit:
        return [text]
    return [piece.strip() for piece in text_pieces(text, limit=limit) if piece.strip()]
