"""Hostile and unusual input: each analyses (with a note when degraded) or is refused with a
clear message; none crashes or hangs."""

import io
import zipfile

import pytest

from analysis import ArticleError, analyze

ARTICLE = "Talks Resume in Cairo\n\nBy Ann Lee\n\nNegotiators met in Cairo on Tuesday. " * 1


def test_png_renamed_txt_refused(nlp):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
    with pytest.raises(ArticleError, match="^This looks like a PNG image, not text"):
        analyze(png, nlp=nlp, source="photo.txt")


def test_zip_renamed_txt_refused(nlp):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", "Hello " * 100)
    with pytest.raises(ArticleError, match="^This looks like a ZIP archive"):
        analyze(buffer.getvalue(), nlp=nlp, source="article.txt")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_file_analyses(nlp, encoding):
    raw = ARTICLE.encode(encoding)
    if encoding != "utf-16":
        raw = ("\ufeff" + ARTICLE).encode(encoding)
    result = analyze(raw, nlp=nlp)
    assert (result.article.title, result.article.author) == ("Talks Resume in Cairo", "Ann Lee")
    assert result.warnings == ()


def test_cp1252_file_analyses_with_note(nlp):
    result = analyze(
        "Café Talks “Resume”\n\nThe envoy’s visit went well.".encode("cp1252"), nlp=nlp
    )
    assert result.article.title == "Café Talks “Resume”"
    assert "Windows-1252" in result.warnings[0]


def test_nul_byte_refused(nlp):
    with pytest.raises(ArticleError, match="binary data"):
        analyze(b"Talks resume\x00 in Cairo", nlp=nlp)


def test_zero_width_and_control_characters_noted(nlp):
    result = analyze("Talks\u200b resume in Cairo\u200e today.\x07 Good news.", nlp=nlp)
    assert result.warnings == (
        "The text contains 3 invisible or control characters (such as zero-width spaces); they "
        "are kept, but a word they split is counted as two.",
    )
    assert result.article.paragraphs[0] == "Talks\u200b resume in Cairo\u200e today.\x07 Good news."


def test_right_to_left_text_noted(nlp):
    result = analyze(
        "الحكومة أعلنت اليوم عن خطة جديدة لدعم الاقتصاد الوطني وتوفير فرص العمل", nlp=nlp
    )
    assert "not in the Latin alphabet" in result.warnings[0]
    for row in result.mentions.itertuples(index=False):
        assert result.texts[row.paragraph][row.start : row.end] == row.text


def test_mixed_right_to_left_and_english(nlp):
    result = analyze("Lin Jian met officials in Gaza. قال المتحدث إن المحادثات مستمرة.", nlp=nlp)
    assert "Lin Jian" in set(result.entities["entity"])


def test_emoji_analyses(nlp):
    result = analyze("Great news for Gaza 🎉🕊️ as talks resume! 👍", nlp=nlp)
    assert result.paragraphs.iloc[0]["label"] == "positive"
    assert "gaza" in set(result.words["term"])


def test_other_language_noted(nlp):
    text = (
        "Die Regierung in Berlin hat am Dienstag neue Maßnahmen beschlossen, um die Inflation zu "
        "bekämpfen. Der Finanzminister sagte, die Lage sei ernst, aber beherrschbar. Kritiker "
        "werfen der Koalition vor, zu spät zu handeln und die Bürger zu belasten."
    )
    result = analyze(text, nlp=nlp)
    assert result.language == "German"
    assert result.warnings == (
        "This text looks like German (18% of its words are common German words, 5% English "
        "ones). NewsLens's models are for English: sentiment and entities will be unreliable; "
        "German function words are left out of the top terms.",
    )
    assert {"der", "die", "zu"} & set(result.words["term"]) == {"die"}  # "die" is English too


def test_spanish_function_words_are_not_top_terms(nlp):
    text = (
        "El gobierno de la ciudad anunció el lunes un plan para reducir el tráfico en el centro. "
        "Los vecinos del barrio dijeron que la medida llega tarde, pero que es necesaria para la "
        "salud de los niños. El alcalde explicó que las obras empezarán en marzo y que el plan "
        "costará más de diez millones."
    )
    result = analyze(text, nlp=nlp)
    assert result.language == "Spanish"
    assert result.words["term"].tolist()[:3] == ["plan", "alcalde", "anunció"]
    assert {"de", "el", "la", "los", "que", "y"} & set(result.words["term"]) == set()


def test_english_and_unknown_languages(nlp):
    assert analyze("Talks resumed in Cairo on Monday.", nlp=nlp).language == "English"
    latin = " ".join(["Lorem ipsum dolor sit amet consectetur adipiscing elit sed"] * 5)
    result = analyze(latin, nlp=nlp)
    assert (result.language, result.warnings[0][:35]) == (
        "unknown",
        "This text does not look like Englis",
    )


def test_html_with_scripts_styles_iframes_and_handlers(nlp):
    page = (
        "<html><head><style>body{display:none}</style><script>window.x=1</script></head><body>"
        "<iframe src='https://evil.example/'></iframe><article><h1>Talks Resume</h1>"
        '<p onmouseover="alert(1)">Negotiators returned to Cairo on Thursday for a new round '
        "of talks on a ceasefire, officials said, after a week of heavy fighting.</p>"
        "<p>Mediators hope to agree a framework <a href='javascript:alert(2)'>soon</a>, two "
        "diplomats said.</p><script>document.write('injected text')</script></article>"
        "</body></html>"
    )
    result = analyze(page, nlp=nlp)
    text = " ".join(result.article.paragraphs)
    assert text.startswith("Negotiators returned to Cairo")
    for fragment in ("window.x", "display:none", "evil.example", "alert", "injected text"):
        assert fragment not in text


def test_single_500k_character_line_finishes(nlp):
    line = ("Officials in Cairo said the talks with Lin Jian went well. " * 9_000)[:500_000]
    result = analyze(line, nlp=nlp)
    # Read as paragraphs of at most 20,000 characters, cut after a sentence end.
    assert sorted({len(p) for p in result.article.paragraphs}) == [1_449, 19_941]
    assert result.entities.iloc[0][["entity", "count"]].tolist() == ["Cairo", 8475]
    assert result.warnings[0].startswith(
        "1 paragraph(s) over 20,000 characters were each read as several paragraphs, cut after "
        "a sentence end (26 paragraphs in all)"
    )


def test_twenty_thousand_one_line_paragraphs_finish(nlp):
    text = "\n".join(f"Item {n}: China met Gaza officials." for n in range(20_000))
    result = analyze(text, nlp=nlp)
    assert len(result.article.paragraphs) == 20_000
    assert result.words.head(2).values.tolist() == [["china", 20_000], ["gaza", 20_000]]
