"""The readers facing hostile inputs: broken Unicode, odd file names, link loops, empty and
compressed files, reused ids and unreadable dates (issue 22, and issue 21's readers)."""

import gzip
import json
import os

import pytest

from analysis.sources.files import (
    Document,
    IngestError,
    Notice,
    check_inputs,
    count_documents,
    display_name,
    read_csv,
    read_folder,
    read_inputs,
    read_jsonl,
    read_zip,
    readable_date,
)
from analysis.storage.corpus.records import ArticleMeta
from analysis.storage.corpus.store import ErrorRow

LIMIT = 10_000


def kinds(items):
    return [type(item).__name__ for item in items]


def write_lines(path, lines):
    path.write_bytes(b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines))
    return path


# -- Unicode in records ------------------------------------------------------------------------


def test_read_jsonl_lone_surrogate_in_text_is_one_error_row(tmp_path):
    path = write_lines(
        tmp_path / "r.jsonl",
        [
            '{"id": "a", "text": "First story."}',
            '{"id": "s", "text": "Broken \\ud800 emoji."}',
            '{"id": "b", "text": "Third story."}',
        ],
    )
    assert list(read_jsonl(path, max_bytes=LIMIT)) == [
        Document("a", "First story."),
        ErrorRow(
            "s",
            "the 'text' field holds invalid Unicode (a lone surrogate \\ud800 at character 8, "
            "often half of a broken emoji); fix the record to store it",
        ),
        Document("b", "Third story."),
    ]


def test_read_jsonl_lone_surrogate_in_title_is_an_error_row(tmp_path):
    path = write_lines(tmp_path / "r.jsonl", ['{"text": "Story.", "title": "Bad \\udc00"}'])
    assert kinds(read_jsonl(path, max_bytes=LIMIT)) == ["ErrorRow"]


def test_read_jsonl_lone_surrogate_in_author_replaced_with_a_notice(tmp_path):
    path = write_lines(
        tmp_path / "r.jsonl", ['{"id": "a", "text": "Story.", "author": "Li \\ud83d"}']
    )
    assert list(read_jsonl(path, max_bytes=LIMIT)) == [
        Notice(
            "a",
            "unicode",
            "the 'author' field holds invalid Unicode (lone surrogates), replaced by \ufffd",
        ),
        Document("a", "Story.", ArticleMeta(author="Li \ufffd")),
    ]


def test_read_jsonl_lone_surrogate_in_id_is_shown_escaped(tmp_path):
    path = write_lines(tmp_path / "r.jsonl", ['{"id": "x\\ud800", "text": "Story."}'])
    assert next(read_jsonl(path, max_bytes=LIMIT)).name == "x\\ud800"


def test_read_jsonl_invalid_utf8_line_is_an_error_row(tmp_path):
    path = write_lines(tmp_path / "r.jsonl", [b'{"text": "Caf\xe9 story."}'])
    assert list(read_jsonl(path, max_bytes=LIMIT)) == [
        ErrorRow(
            f"{path}:1",
            "not valid UTF-8 (byte 0xe9 at byte 14 of the line); save the file as UTF-8",
        )
    ]


def test_read_jsonl_number_too_long_is_an_error_row(tmp_path):
    path = write_lines(tmp_path / "r.jsonl", ['{"text": "Story.", "n": 1' + "0" * 5000 + "}"])
    assert list(read_jsonl(path, max_bytes=LIMIT)) == [
        ErrorRow(f"{path}:1", "not valid JSON (a number with more than 4,300 digits)")
    ]


def test_read_jsonl_deeply_nested_value_is_an_error_row(tmp_path):
    path = write_lines(
        tmp_path / "r.jsonl",
        [
            '{"text": "Story."}',
            '{"text": "Story two.", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
        ],
    )
    assert list(read_jsonl(path, max_bytes=1_000_000))[1] == ErrorRow(
        f"{path}:2", "not valid JSON (nested too deeply)"
    )


def test_read_jsonl_nul_in_text_is_kept_for_the_analysis_to_refuse(tmp_path):
    path = write_lines(tmp_path / "r.jsonl", ['{"text": "Nul \\u0000 here."}'])
    assert next(read_jsonl(path, max_bytes=LIMIT)).raw == "Nul \x00 here."


def test_read_csv_bytes_not_utf8_replaced_with_a_notice(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(b"id,text\nc1,Caf\xe9 story \xe2\x82 end.\n")
    assert list(read_csv(path, max_bytes=LIMIT)) == [
        Notice(
            "c1",
            "encoding",
            "2 bytes that are not UTF-8 replaced by \ufffd; save the file as UTF-8 to keep them",
        ),
        Document("c1", "Caf\ufffd story \ufffd end."),
    ]


# -- file names and links ------------------------------------------------------------------------


def test_read_folder_name_not_utf8_is_printable(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.txt")).write_bytes(b"Story.")
    assert [item.name for item in read_folder(folder, max_bytes=LIMIT)] == [
        f"{folder}/caf\\xe9.txt"
    ]


def test_display_name_escapes_control_characters():
    assert display_name("a\x00b\x1bc") == "a\\x00b\\x1bc"


def test_read_folder_link_loop_is_an_error_row(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("Story.")
    (folder / "x.txt").symlink_to("y.txt")
    (folder / "y.txt").symlink_to("x.txt")
    assert list(read_folder(folder, max_bytes=LIMIT)) == [
        Document(f"{folder}/a.txt", b"Story."),
        ErrorRow(
            f"{folder}/x.txt", "a symbolic link that loops (x.txt -> y.txt -> x.txt); skipped"
        ),
        ErrorRow(
            f"{folder}/y.txt", "a symbolic link that loops (y.txt -> x.txt -> y.txt); skipped"
        ),
    ]


def test_read_folder_dangling_link_is_an_error_row(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "gone.txt").symlink_to("deleted.txt")
    assert list(read_folder(folder, max_bytes=LIMIT)) == [
        ErrorRow(
            f"{folder}/gone.txt",
            "a symbolic link that points to nothing (gone.txt -> deleted.txt); skipped",
        )
    ]


def test_check_inputs_link_loop_is_refused_as_such(tmp_path):
    (tmp_path / "x.jsonl").symlink_to("y.jsonl")
    (tmp_path / "y.jsonl").symlink_to("x.jsonl")
    with pytest.raises(IngestError, match=r"a symbolic link that loops \(x.jsonl -> y.jsonl"):
        check_inputs([str(tmp_path / "x.jsonl")])


def test_count_documents_skips_a_link_loop(tmp_path):
    (tmp_path / "a.txt").write_text("Story.")
    (tmp_path / "x.txt").symlink_to("x.txt")
    assert count_documents([str(tmp_path)]) == 1


# -- empty inputs ----------------------------------------------------------------------------------


def test_read_jsonl_empty_file_is_a_notice(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(b"")
    assert list(read_jsonl(path, max_bytes=LIMIT)) == [
        Notice(str(path), "empty", "the file is empty; nothing was read")
    ]


def test_read_jsonl_blank_lines_only_is_a_notice(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text("\n  \n\n")
    assert list(read_jsonl(path, max_bytes=LIMIT)) == [
        Notice(str(path), "empty", "the file holds 3 blank lines and no records")
    ]


def test_read_csv_header_only_is_a_notice(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,text\n")
    assert list(read_csv(path, max_bytes=LIMIT)) == [
        Notice(str(path), "empty", "the file has a header row and no rows; nothing was read")
    ]


def test_read_folder_without_articles_is_a_notice(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    assert kinds(read_folder(tmp_path, max_bytes=LIMIT)) == ["Notice"]


def test_read_zip_without_articles_is_a_notice(tmp_path):
    import zipfile

    path = tmp_path / "n.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("image.png", b"\x89PNG")
    assert kinds(read_zip(path, max_bytes=LIMIT)) == ["Notice"]


# -- ids and dates ----------------------------------------------------------------------------------


def test_read_jsonl_id_reused_for_another_text_is_a_notice(tmp_path):
    path = write_lines(
        tmp_path / "r.jsonl",
        ['{"id": "x", "text": "First story."}', '{"id": "x", "text": "Another story."}'],
    )
    assert list(read_jsonl(path, max_bytes=LIMIT)) == [
        Document("x", "First story."),
        Notice(
            "x",
            "duplicate-id",
            f"the id is used again ({path}:2) for a different text than at {path}:1; both are stored",
        ),
        Document("x", "Another story."),
    ]


def test_read_jsonl_id_repeated_with_the_same_text_is_no_notice(tmp_path):
    path = write_lines(
        tmp_path / "r.jsonl",
        ['{"id": "x", "text": "First story."}', '{"id": "x", "text": "First story."}'],
    )
    assert kinds(read_jsonl(path, max_bytes=LIMIT)) == ["Document", "Document"]


def test_read_jsonl_unreadable_date_is_a_notice(tmp_path):
    path = write_lines(
        tmp_path / "r.jsonl", ['{"id": "a", "text": "Story.", "date": "last Tuesday"}']
    )
    assert list(read_jsonl(path, max_bytes=LIMIT)) == [
        Notice(
            "a",
            "date",
            "the date 'last Tuesday' cannot be read (ISO 8601 such as 2024-03-21, or RFC 2822 "
            "such as 'Thu, 21 Mar 2024 08:15:00 +0100'); stored without a date",
        ),
        Document("a", "Story."),
    ]


def test_read_csv_unreadable_date_is_a_notice(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,text,date\nc1,Story.,31/02/2024\n")
    assert kinds(read_csv(path, max_bytes=LIMIT)) == ["Notice", "Document"]


def test_readable_date_rfc_2822_becomes_iso():
    assert readable_date("Thu, 21 Mar 2024 08:15:00 +0100") == "2024-03-21T08:15:00+01:00"


def test_readable_date_iso_kept():
    assert readable_date("2024-03-21T08:15:00Z") == "2024-03-21T08:15:00Z"


# -- gzip --------------------------------------------------------------------------------------------


def test_read_inputs_jsonl_gz(tmp_path):
    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wt") as handle:
        handle.write(json.dumps({"id": "g1", "text": "Zipped story."}) + "\n")
    assert list(read_inputs([str(path)])) == [Document("g1", "Zipped story.")]


def test_read_inputs_csv_gz(tmp_path):
    path = tmp_path / "feed.csv.gz"
    with gzip.open(path, "wt") as handle:
        handle.write("id,text\nc1,Zipped row.\n")
    assert list(read_inputs([str(path)])) == [Document("c1", "Zipped row.")]


def test_check_inputs_jsonl_gz_without_text_column_is_refused(tmp_path):
    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wt") as handle:
        handle.write(json.dumps({"body": "No text field."}) + "\n")
    with pytest.raises(IngestError, match="has no 'text' column"):
        check_inputs([str(path)])


def test_read_jsonl_damaged_gz_stops_with_an_error_row(tmp_path):
    path = tmp_path / "feed.jsonl.gz"
    whole = gzip.compress(b"".join(b'{"text": "Story %d."}\n' % i for i in range(2000)))
    path.write_bytes(whole[: len(whole) // 2])
    items = list(read_jsonl(path, max_bytes=LIMIT))
    assert (kinds(items[-1:]), items[-1].reason.split(" (")[0]) == (
        ["ErrorRow"],
        f"the gzip file is damaged after line {len(items) - 1}",
    )


def test_count_documents_jsonl_gz(tmp_path):
    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wt") as handle:
        handle.write('{"text": "One."}\n{"text": "Two."}\n')
    assert count_documents([str(path)]) == 2
