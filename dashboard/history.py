"""Back and Forward in the browser.

Streamlit (1.67) writes the query string the script sets (``st.query_params``) with
``history.pushState`` when it changes, so every change of view is one history entry; on Back or
Forward (``popstate``) its frontend reruns the script with that entry's query string, marks the
run as a history navigation and, during it, writes with ``replaceState``. A script that reads
the URL only once per session would ignore the entry and write its current view over it: the
app must follow the URL in such a run, which :func:`is_history_navigation` tells.
"""

from __future__ import annotations


def is_history_navigation() -> bool:
    """Whether the browser's Back or Forward started this script run (False outside a run).

    Streamlit has no public API for this: the flag is read from the run's context, and a
    Streamlit without it counts as "no".
    """
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    except ImportError:
        return False
    ctx = get_script_run_ctx()
    return bool(getattr(ctx, "is_history_navigation", False))
