import pytest


@pytest.fixture(scope="session", autouse=True)
def data_dir(tmp_path_factory):
    """One share store for the whole session: the app caches its store per process."""
    path = tmp_path_factory.mktemp("newslens-data")
    mp = pytest.MonkeyPatch()
    mp.setenv("NEWSLENS_DATA_DIR", str(path))
    yield path
    mp.undo()


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (the browser tests)."""
    from tests.dashboard.browser import chromium

    with chromium() as browser:
        yield browser
