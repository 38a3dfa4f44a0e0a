from dashboard.sources import list_seeds


def test_list_seeds_by_title():
    seeds = list_seeds()
    assert [(s.slug, s.title) for s in seeds] == [
        (
            "china-urges-gaza-ceasefire-2024-03-21",
            "China Urges International Efforts to Cease Gaza Conflict",
        ),
    ]


def test_list_seeds_skips_unreadable(tmp_path):
    (tmp_path / "a.txt").write_text("Good Title Here\n\nBody text.")
    (tmp_path / "b.txt").write_bytes(b"\x89PNG\x00")
    (tmp_path / "c.csv").write_text("x,y")
    assert [s.slug for s in list_seeds(tmp_path)] == ["a"]
