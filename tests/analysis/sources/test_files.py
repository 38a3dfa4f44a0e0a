import json
import os
import zipfile

import pytest

from analysis.errors import ArticleError
from analysis.sources.fetch import Fetched
from analysis.sources.files import (
    Columns,
    Document,
    IngestError,
    check_inputs,
    count_documents,
    read_csv,
    read_folder,
    read_inputs,
    read_jsonl,
    read_zip,
)
from analysis.storage.corpus.records import ArticleMeta
from analysis.storage.corpus.store import ErrorRow

LIMIT = 10_000


def names(items):
    return [(type(item).__name__, item[0]) for item in items]


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "news"
    (root / "2024").mkdir(parents=True)
    (root / ".cache").mkdir()
    (root / "a.txt").write_text("Council approves budget\n\nThe council approved the budget.")
    (root / "2024" / "b.html").write_text(
        "<html><body><p>Port reopens after storm.</p></body></html>"
    )
    (root / "notes.pdf").write_bytes(b"%PDF-1.4")
    (root / ".hidden.txt").write_text("Hidden draft")
    (root / ".cache" / "c.txt").write_text("Cached copy")
    return root


def test_read_folder_files_before_subfolders(folder):
    assert names(read_folder(folder, max_bytes=LIMIT)) == [
        ("Document", f"{folder}/a.txt"),
        ("Document", f"{folder}/2024/b.html"),
    ]


def test_read_folder_skips_link_leaving_the_folder(folder, tmp_path):
    (tmp_path / "secret.txt").write_text("Outside the folder")
    (folder / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert f"{folder}/link.txt" not in [item.name for item in read_folder(folder, max_bytes=LIMIT)]


def test_read_folder_reads_link_inside_the_folder(folder):
    (folder / "alias.txt").symlink_to(folder / "a.txt")
    items = {item.name: item.raw for item in read_folder(folder, max_bytes=LIMIT)}
    assert (
        items[f"{folder}/alias.txt"]
        == b"Council approves budget\n\nThe council approved the budget."
    )


def test_read_folder_does_not_follow_linked_folders(folder, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "d.txt").write_text("Outside story")
    (folder / "more").symlink_to(outside, target_is_directory=True)
    assert len(list(read_folder(folder, max_bytes=LIMIT))) == 2


def test_read_folder_skips_a_pipe(folder):
    os.mkfifo(folder / "pipe.txt")
    assert len(list(read_folder(folder, max_bytes=LIMIT))) == 2


def test_read_folder_too_large_is_an_error_row(folder):
    (folder / "big.txt").write_text("word " * 3000)
    item = [i for i in read_folder(folder, max_bytes=LIMIT) if i[0].endswith("big.txt")][0]
    assert item == ErrorRow(
        f"{folder}/big.txt",
        "15,000 bytes, over the limit of 10,000 bytes "
        "per document (set NEWSLENS_MAX_CHARS to change it)",
    )


def make_zip(path, members):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


def test_read_zip_members_in_archive_order(tmp_path):
    path = make_zip(
        tmp_path / "n.zip",
        [("b.txt", "Second story"), ("dir/a.md", "First story"), ("image.png", b"\x89PNG")],
    )
    assert [(i.name, i.raw) for i in read_zip(path, max_bytes=LIMIT)] == [
        (f"{path}:b.txt", b"Second story"),
        (f"{path}:dir/a.md", b"First story"),
    ]


def test_read_zip_refuses_parent_and_absolute_paths(tmp_path):
    path = make_zip(tmp_path / "n.zip", [("../up.txt", "Escape"), ("/abs.txt", "Absolute")])
    assert [i.reason for i in read_zip(path, max_bytes=LIMIT)] == [
        "unsafe path in the archive (absolute or with ..); skipped"
    ] * 2


def test_read_zip_too_many_members(tmp_path):
    path = make_zip(tmp_path / "n.zip", [(f"{i}.txt", "Story") for i in range(5)])
    assert list(read_zip(path, max_bytes=LIMIT, max_members=4)) == [
        ErrorRow(str(path), "5 members, over the limit of 4")
    ]


def test_read_zip_bomb_stops_at_total(tmp_path):
    path = make_zip(tmp_path / "bomb.zip", [(f"{i}.txt", "a" * 9_000) for i in range(5)])
    items = list(read_zip(path, max_bytes=LIMIT, max_total=20_000))
    assert names(items) == [
        ("Document", f"{path}:0.txt"),
        ("Document", f"{path}:1.txt"),
        ("ErrorRow", str(path)),
    ]


def test_read_zip_member_over_limit_is_refused_unread(tmp_path):
    path = make_zip(tmp_path / "n.zip", [("big.txt", "a" * 50_000)])
    assert [i.reason for i in read_zip(path, max_bytes=LIMIT)] == [
        "50,000 bytes, over the limit of 10,000 bytes per document (set NEWSLENS_MAX_CHARS to change it)"
    ]


def test_read_zip_not_an_archive(tmp_path):
    path = tmp_path / "fake.zip"
    path.write_bytes(b"not a zip at all")
    assert list(read_zip(path, max_bytes=LIMIT)) == [
        ErrorRow(str(path), "not a readable zip archive (File is not a zip file)")
    ]


def write_jsonl(path, lines):
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    return path


def test_read_jsonl_record_with_title_and_meta(tmp_path):
    path = write_jsonl(
        tmp_path / "r.jsonl",
        [
            {
                "id": "r1",
                "title": "Port reopens",
                "date": "2024-02-01",
                "url": "https://port.example/1",
                "text": "The port reopened on Thursday.",
            },
        ],
    )
    assert list(read_jsonl(path, max_bytes=LIMIT)) == [
        Document(
            "r1",
            "Port reopens\n\nThe port reopened on Thursday.",
            ArticleMeta(title="Port reopens", published="2024-02-01", url="https://port.example/1"),
        )
    ]


def test_read_jsonl_bad_lines_are_error_rows(tmp_path):
    path = write_jsonl(
        tmp_path / "r.jsonl",
        [
            {"text": "First story."},
            "{broken",
            "[1, 2]",
            {"id": 7, "text": ""},
        ],
    )
    assert [tuple(i[:2]) for i in read_jsonl(path, max_bytes=LIMIT)] == [
        (f"{path}:1", "First story."),
        (
            f"{path}:2",
            "not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        ),
        (f"{path}:3", "not a JSON object"),
        ("7", "no text in the 'text' field"),
    ]


def test_read_jsonl_without_text_field_is_refused(tmp_path):
    path = write_jsonl(tmp_path / "r.jsonl", [{"id": "r1", "body": "Story."}])
    with pytest.raises(IngestError, match="has no 'text' column \\(columns: id, body\\)"):
        list(read_jsonl(path, max_bytes=LIMIT))


def test_read_jsonl_other_text_column(tmp_path):
    path = write_jsonl(tmp_path / "r.jsonl", [{"body": "Story told."}])
    assert [i.raw for i in read_jsonl(path, columns=Columns(text="body"), max_bytes=LIMIT)] == [
        "Story told."
    ]


def test_read_jsonl_overlong_line_skipped(tmp_path):
    path = write_jsonl(tmp_path / "r.jsonl", [{"text": "x" * 200_000}, {"text": "Next story."}])
    items = list(read_jsonl(path, max_bytes=LIMIT))
    assert [(i[0], i[1]) for i in items] == [
        (f"{path}:1", "line longer than 75,536 bytes"),
        (f"{path}:2", "Next story."),
    ]


def test_read_jsonl_date_not_iso_is_dropped(tmp_path):
    path = write_jsonl(tmp_path / "r.jsonl", [{"text": "Story.", "date": "last Tuesday"}])
    assert list(read_jsonl(path, max_bytes=LIMIT))[-1].meta.published is None


def test_read_csv_rows(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text('id,text,source\nc1,"Rain fell, then snow.",Weather Desk\nc2,,x\n')
    assert [tuple(i[:2]) for i in read_csv(path, max_bytes=LIMIT)] == [
        ("c1", "Rain fell, then snow."),
        ("c2", "no text in the 'text' field"),
    ]


def test_read_csv_source_column(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("text,source\nRain fell.,Weather Desk\n")
    assert next(read_csv(path, max_bytes=LIMIT)).meta == ArticleMeta(source="Weather Desk")


def test_read_csv_without_text_column_is_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,body\nc1,Story.\n")
    with pytest.raises(IngestError, match="has no 'text' column"):
        list(read_csv(path, max_bytes=LIMIT))


def test_read_csv_oversized_field_is_an_error_row(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(f'text\n"{"y" * 20_000}"\nShort story.\n')
    items = list(read_csv(path, max_bytes=LIMIT))
    assert (items[0].reason.startswith("row cannot be parsed"), items[-1].raw) == (
        True,
        "Short story.",
    )


def test_read_inputs_url_through_the_fetcher(tmp_path):
    def fetch(url, *, max_bytes):
        return Fetched("https://news.example/final", b"<p>Fetched story.</p>", "text/html")

    assert list(read_inputs(["https://news.example/start"], fetch=fetch)) == [
        Document(
            "https://news.example/start",
            b"<p>Fetched story.</p>",
            ArticleMeta(url="https://news.example/final"),
        )
    ]


def test_read_inputs_refused_url_is_an_error_row():
    def fetch(url, *, max_bytes):
        raise ArticleError("Refused to fetch localhost: it points to a loopback address.")

    assert list(read_inputs(["http://localhost/x"], fetch=fetch)) == [
        ErrorRow(
            "http://localhost/x", "Refused to fetch localhost: it points to a loopback address."
        )
    ]


def test_check_inputs_missing_path(tmp_path):
    with pytest.raises(IngestError, match="no such file or folder"):
        check_inputs([str(tmp_path / "missing.jsonl")])


def test_check_inputs_unknown_kind(tmp_path):
    (tmp_path / "data.xlsx").write_bytes(b"PK")
    with pytest.raises(IngestError, match="not a folder, .zip, .jsonl, .csv \\(or .jsonl.gz"):
        check_inputs([str(tmp_path / "data.xlsx")])


def test_check_inputs_other_scheme():
    with pytest.raises(IngestError, match="only http:// and https://"):
        check_inputs(["ftp://news.example/a.txt"])


def test_check_inputs_record_file_without_text_column(tmp_path):
    path = write_jsonl(tmp_path / "r.jsonl", [{"body": "Story."}])
    with pytest.raises(IngestError, match="--text-column"):
        check_inputs([str(path)])


def test_count_documents_folder_jsonl_and_url(folder, tmp_path):
    path = write_jsonl(tmp_path / "r.jsonl", [{"text": "A."}, {"text": "B."}])
    assert count_documents([str(folder), str(path), "https://news.example/x"]) == 5
