"""The app's entry point through AppTest: the settings checked first, the first view's scripts
preloaded, the models' load started when the page needs them, every unexpected error shown as
one message with a reference."""

import logging
import re

from dashboard import warmup
from dashboard.jobs import Warmup
from tests.dashboard.apptest import (
    open_options,
    run_app,
)


def test_the_article_page_preloads_its_scripts(warm):
    (preload,) = run_app().get("html")
    imported = re.findall(r"import\('\./static/js/(\w+)\.", preload.proto.body)
    assert imported == ["PlotlyChart", "Selectbox", "Slider", "BidiComponent"]


class RecordingWarmup(Warmup):
    """A warm-up that records the delay of each ``start`` and loads nothing."""

    def __init__(self) -> None:
        super().__init__(lambda: None, name="test-warmup")
        self.delays: list[float] = []

    def start(self, *, delay: float = 0.0) -> bool:
        self.delays.append(delay)
        return super().start(delay=delay)


def test_sample_first_view_starts_models_after_it(warm, monkeypatch):
    models = RecordingWarmup()
    monkeypatch.setattr(warmup, "MODELS", models)
    run_app()
    assert models.delays == [warmup.AFTER_FIRST_VIEW]


def test_link_to_stored_article_starts_models_at_once(warm, monkeypatch):
    models = RecordingWarmup()
    monkeypatch.setattr(warmup, "MODELS", models)
    run_app(article="ab" * 32)
    assert models.delays[0] == 0.0


def test_link_with_removed_lines_starts_models_at_once(warm, monkeypatch):
    models = RecordingWarmup()
    monkeypatch.setattr(warmup, "MODELS", models)
    run_app(removed="1")
    assert models.delays[0] == 0.0


def test_models_are_frozen_out_of_the_garbage_collector(warm):
    # Streamlit collects garbage after every run; the models' objects are frozen at load.
    import gc

    run_app()
    assert gc.get_freeze_count() > 100_000
    gc.collect(2)
    # What a full collection still walks: a small fraction of what was frozen.
    assert len(gc.get_objects(generation=2)) < gc.get_freeze_count() / 4


def test_unexpected_error_shows_reference_not_traceback(warm, monkeypatch, caplog):
    from dashboard import charts

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(charts, "words_figure", broken)
    at = run_app()
    message = at.error[0].value
    assert re.fullmatch(
        r"Something went wrong on our side \(reference [0-9a-f]{8}\)\. Please try again; if it "
        r"happens again, report the reference\.",
        message,
    )
    reference = re.search(r"reference ([0-9a-f]{8})", message).group(1)
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].exc_info[0] is RuntimeError


def test_debug_log_has_one_line_per_run(warm, caplog):
    at = open_options(run_app(), "words")
    with caplog.at_level(logging.DEBUG, logger="newslens"):
        at.slider(key="article_options_top").set_value(6).run()
        at.toggle(key="article_options_stop").set_value(False).run()
    runs = [r.getMessage() for r in caplog.records if r.getMessage().startswith("script run: ")]
    assert len(runs) == 2
    assert all(re.fullmatch(r"script run: \d+\.\d ms \(CPU \d+\.\d ms\)", line) for line in runs)


def test_bad_setting_is_one_message_at_start(monkeypatch):
    monkeypatch.setenv("NEWSLENS_LOG_LEVEL", "loud")
    at = run_app()
    assert (not at.exception, [e.value for e in at.error], len(at.get("plotly_chart"))) == (
        True,
        [
            "NewsLens cannot start: NEWSLENS_LOG_LEVEL='loud' is not one of DEBUG, INFO, "
            "WARNING, ERROR. Correct the setting and restart the app."
        ],
        0,
    )


def test_log_level_setting_applies_to_the_server_log(monkeypatch):
    import logging

    monkeypatch.setenv("NEWSLENS_LOG_LEVEL", "warning")
    at = run_app()
    assert (not at.exception, logging.getLogger("newslens").level) == (True, logging.WARNING)
    logging.getLogger("newslens").setLevel(logging.INFO)
