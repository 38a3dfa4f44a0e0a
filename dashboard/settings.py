"""The app's settings and its log: the ``NEWSLENS_*`` settings read once per server process
(:mod:`analysis.settings`), and the ``newslens`` logger at the level they set.

Light to import (no pandas or models): :mod:`dashboard.app` reads the settings first thing.
"""

from __future__ import annotations

import logging

import streamlit as st

from analysis.settings import Settings, load_settings

LOG = logging.getLogger("newslens")
if not LOG.handlers:  # the server's log: one line per pipeline load, tracebacks of errors
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s newslens %(levelname)s %(message)s"))
    LOG.addHandler(_handler)
    LOG.setLevel("INFO")


@st.cache_resource(show_spinner=False)
def app_settings() -> Settings:
    """The settings, read once per server process; the log takes their level.

    Raises:
        analysis.settings.SettingsError: a value cannot be used; :func:`dashboard.app.main`
            shows it and stops. An exception is not cached, so a fixed value takes effect on
            the next run.
    """
    settings = load_settings()
    LOG.setLevel(settings.log_level)
    return settings
