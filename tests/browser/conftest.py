"""Fixtures of the browser tests that start and stop servers of their own: one Chromium per
module."""

import pytest


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright, closed after the module."""
    from tests.dashboard.browser import chromium

    with chromium() as browser:
        yield browser
