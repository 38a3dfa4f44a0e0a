import pytest


@pytest.fixture(scope="session", autouse=True)
def data_dir(tmp_path_factory):
    """One share store for the whole session: the app caches its store per process."""
    path = tmp_path_factory.mktemp("newslens-data")
    mp = pytest.MonkeyPatch()
    mp.setenv("NEWSLENS_DATA_DIR", str(path))
    yield path
    mp.undo()


@pytest.fixture(autouse=True)
def fresh_settings():
    """The app reads its settings once per process (``st.cache_resource``); a test that sets
    a ``NEWSLENS_*`` variable gets them read again."""
    from dashboard.settings import app_settings

    app_settings.clear()
    yield
    app_settings.clear()


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (the browser tests)."""
    from tests.dashboard.browser import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def warm():
    """The app run once: the first run imports the app (cached per process); later runs in
    the module are quick."""
    from tests.dashboard.apptest import run_app

    run_app()
