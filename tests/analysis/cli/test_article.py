"""The command line, run as a user runs it: in a subprocess."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE_PATH


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=ROOT,
        timeout=300,
    )


@pytest.fixture(scope="module")
def sample_json():
    result = run(str(SAMPLE_PATH), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_cli_json_keys(sample_json):
    assert list(sample_json) == [
        "id",
        "title",
        "author",
        "published",
        "source",
        "sentiment",
        "tone",
        "headline",
        "paragraphs",
        "subheadings",
        "words",
        "entities",
        "mentions",
        "quotes",
        "speakers",
        "removed",
        "warnings",
    ]


def test_cli_json_sample_values(sample_json):
    assert (sample_json["title"], sample_json["author"], sample_json["published"]) == (
        "China Urges International Efforts to Cease Gaza Conflict",
        "Henrik Rothen",
        "2024-03-21T10:57:00+01:00",
    )
    assert sample_json["words"][:3] == [
        {"term": "china", "count": 10},
        {"term": "gaza", "count": 5},
        {"term": "international", "count": 5},
    ]
    assert sample_json["entities"][0] == {"text": "China", "label": "GPE", "count": 10}
    assert [item["reason"] for item in sample_json["removed"]] == [
        "photo caption",
        "photo caption (printed again; first on line 7)",
        "page furniture (navigation or promotion, not article text)",
        "page furniture (navigation or promotion, not article text)",
    ]


def test_cli_json_paragraph_schema(sample_json):
    assert [p["index"] for p in sample_json["paragraphs"]] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert list(sample_json["paragraphs"][0]) == [
        "index",
        "text",
        "polarity",
        "subjectivity",
        "vader",
        "label",
        "textblob_label",
        "vader_label",
        "disagree",
    ]
    assert list(sample_json["mentions"][0]) == [
        "paragraph",
        "start",
        "end",
        "text",
        "label",
        "entity",
        "counted",
    ]


def test_cli_text_summary():
    result = run(str(SAMPLE_PATH))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "China Urges International Efforts to Cease Gaza Conflict"
    assert lines[1] == "by Henrik Rothen · 2024-03-21T10:57:00+01:00 · 8 paragraphs, 271 words"
    assert "Top words:  china 10, gaza 5, international 5," in result.stdout


def test_cli_csv_entities():
    result = run(str(SAMPLE_PATH), "--format", "csv", "--table", "entities")
    assert result.stdout.splitlines()[:3] == [
        "entity,label,count,paragraphs",
        "China,GPE,10,9",
        "Gaza,GPE,5,5",
    ]


def test_cli_csv_words_with_options():
    result = run(str(SAMPLE_PATH), "--format", "csv", "--ngram", "2")
    assert result.stdout.splitlines()[:3] == [
        "term,count",
        "international community,2",
        "lin jian,2",
    ]


def test_cli_reads_stdin():
    result = run("-", "--format", "json", stdin="Budget Talks Resume\n\nThe council met.")
    assert json.loads(result.stdout)["title"] == "Budget Talks Resume"


def test_cli_empty_file_exits_2_with_one_line(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    result = run(str(empty))
    assert result.returncode == 2
    assert result.stderr == (
        f"newslens: error: The article is empty ({empty}): there is no text to analyse.\n"
    )


def test_cli_missing_file_exits_2():
    result = run("no-such-file.txt")
    assert (result.returncode, result.stderr) == (
        2,
        "newslens: error: no-such-file.txt: no such file.\n",
    )


def test_cli_binary_file_exits_2(tmp_path):
    png = tmp_path / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = run(str(png))
    assert result.returncode == 2
    assert "looks like a PNG image" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_refuses_other_schemes():
    result = run("file:///etc/passwd")
    assert result.returncode == 2
    assert "only http:// and https://" in result.stderr


def test_cli_refuses_loopback_url():
    result = run("http://127.0.0.1:9/article")
    assert result.returncode == 2
    assert "loopback" in result.stderr


def test_cli_no_arguments_is_usage_error():
    result = run()
    assert result.returncode == 2
    assert "give PATH_OR_URL arguments or --jsonl FILE" in result.stderr


def test_cli_batch_with_bad_lines(tmp_path):
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        '{"id": "one", "text": "Lin Jian praised the talks in Cairo."}\n'
        "this is not json\n"
        '{"id": "two", "text": ""}\n'
        '{"id": 3, "text": "A terrible day in Gaza."}\n'
        '{"text": 5}\n',
        encoding="utf-8",
    )
    result = run("--jsonl", str(batch))
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], "error" in r) for r in records] == [
        ("one", False),
        ("line 2", True),
        ("two", True),
        ("3", False),
        ("line 5", True),
    ]
    assert records[1]["error"] == "line 2 is not valid JSON (Expecting value)."
    assert records[3]["paragraphs"][0]["label"] == "negative"
    assert "5/5" in result.stderr and "3 failed" in result.stderr


def test_cli_batch_from_stdin_all_good():
    lines = "".join(
        json.dumps({"id": str(i), "text": f"Story {i} is good."}) + "\n" for i in range(3)
    )
    result = run("--jsonl", "-", "--quiet", stdin=lines)
    assert result.returncode == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["0", "1", "2"]
    assert result.stderr == ""


def test_cli_unexpected_error_reports_reference_not_traceback(tmp_path):
    # Fault injection: a sitecustomize module makes the analysis itself fail.
    (tmp_path / "sitecustomize.py").write_text(
        "import analysis.core.pipeline\n"
        "def broken(*args, **kwargs):\n"
        "    raise RuntimeError('injected fault')\n"
        "analysis.core.pipeline.analyze = broken\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "analysis", str(SAMPLE_PATH)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode == 70
    match = re.fullmatch(
        r"newslens: error: unexpected RuntimeError; please report reference ([0-9a-f]{8}) "
        r"\(details in (\S+)\)\n",
        result.stderr,
    )
    assert match is not None, result.stderr
    log = Path(match.group(2)).read_text()
    assert "Traceback" in log and "injected fault" in log
    assert "Traceback" not in result.stderr


def test_cli_broken_model_named_by_environment_falls_back(tmp_path):
    (tmp_path / "meta.json").write_text("{")
    result = run_env(
        str(SAMPLE_PATH),
        "--format",
        "csv",
        "--table",
        "entities",
        env={"NEWSLENS_SPACY_MODEL": str(tmp_path)},
    )
    assert result.returncode == 0
    assert result.stdout.splitlines()[1] == "China,GPE,10,9"


def run_env(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env={**os.environ, **env},
    )


def test_cli_json_sentiment_defaults_to_vader(sample_json):
    assert sample_json["sentiment"] == {"model": "vader", "band": 0.05}
    first = sample_json["paragraphs"][0]
    assert (first["label"], first["vader"], first["textblob_label"], first["disagree"]) == (
        "negative",
        -0.296,
        "neutral",
        True,
    )
    assert sample_json["tone"][0] == {
        "model": "vader",
        "mean": 0.3954,
        "spread": 0.4293,
        "positive": 5,
        "neutral": 2,
        "negative": 1,
        "paragraphs": 8,
    }


def test_cli_json_quotes_and_speakers(sample_json):
    assert sample_json["quotes"] == [
        {
            "paragraph": 7,
            "start": 1,
            "end": 171,
            "quote": "China has maintained close communication and built consensus with Arab nations "
            "and the international community, urging for immediate actions to prevent "
            "further escalation",
            "speaker": "Lin",
            "entity": "Lin Jian",
            "words": 23,
        }
    ]
    assert sample_json["speakers"] == [
        {"speaker": "Lin Jian", "entity": "Lin Jian", "quotes": 1, "words": 23}
    ]


def test_cli_json_entities_are_names_unless_asked(sample_json):
    labels = {item["label"] for item in sample_json["entities"]}
    assert labels == {"GPE", "ORG", "PERSON"}
    result = run(
        str(SAMPLE_PATH), "--format", "csv", "--table", "entities", "--entity-types", "person,DATE"
    )
    assert result.stdout.splitlines() == [
        "entity,label,count,paragraphs",
        "Lin Jian,PERSON,3,3",
        "October 7,DATE,1,1",
        "Wang Kejian,PERSON,1,1",
    ]


def test_cli_model_and_band_change_labels():
    result = run(
        str(SAMPLE_PATH),
        "--format",
        "csv",
        "--table",
        "paragraphs",
        "--model",
        "textblob",
        "--band",
        "0.3",
    )
    rows = result.stdout.splitlines()
    assert rows[0].startswith("paragraph,kind,text,polarity,subjectivity,vader,label,vader_label")
    result = run(str(SAMPLE_PATH), "--model", "textblob", "--band", "0.3")
    assert "  5  positive +0.70   China’s diplomatic outreach was well received, wi…" in (
        result.stdout
    )
    assert "  4  neutral  +0.29 ≠ Since the outbreak on October 7, the conflict has…" in (
        result.stdout
    )
    assert "  1  neutral  +0.00   China is applying international pressure to achie…" in (
        result.stdout
    )


def test_cli_csv_entity_sentiment():
    result = run(str(SAMPLE_PATH), "--format", "csv", "--table", "entity-sentiment")
    assert result.stdout.splitlines()[:2] == [
        "entity,type,mentions,sentences,score,label,polarity,vader",
        "China,GPE,10,10,0.2173,positive,0.0567,0.2173",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--entity-types", "FOO"], "newslens: error: unknown entity type 'FOO'; choose from"),
        (["--band", "0.9"], "newslens: error: --band must be between 0 and 0.5"),
    ],
)
def test_cli_bad_sentiment_or_type_options(args, message):
    result = run(str(SAMPLE_PATH), *args)
    assert result.returncode == 2
    assert result.stderr.startswith(message)


def test_cli_corpus_subcommand_is_dispatched(tmp_path):
    missing = tmp_path / "none.duckdb"
    result = run("corpus", "info", "--db", str(missing))
    assert (result.returncode, result.stderr) == (
        2,
        f"newslens corpus: error: no corpus at {missing}; add documents with: newslens "
        "corpus add PATH...\n",
    )


def run_with(env: dict, *args):
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env={**os.environ, **env},
    )


def test_cli_size_limit_from_the_setting(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("word " * 30, encoding="utf-8")
    result = run_with({"NEWSLENS_MAX_CHARS": "50"}, str(path))
    assert (result.returncode, "over the limit of 50 characters" in result.stderr) == (2, True)


def test_cli_bad_setting_is_one_line_exit_2():
    result = run_with({"NEWSLENS_MAX_CHARS": "lots"}, str(SAMPLE_PATH))
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        "newslens: error: NEWSLENS_MAX_CHARS='lots' is not a positive whole number.\n",
    )


def test_cli_corpus_default_file_in_the_data_folder(tmp_path):
    result = run_with({"NEWSLENS_DATA_DIR": str(tmp_path)}, "corpus", "info")
    assert (result.returncode, result.stderr) == (
        2,
        f"newslens corpus: error: no corpus at {tmp_path / 'corpus.duckdb'}; add documents "
        "with: newslens corpus add PATH...\n",
    )
