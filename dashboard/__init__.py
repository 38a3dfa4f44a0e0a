"""The NewsLens app (Streamlit): ``app.py`` checks the settings and picks the page.

- a package per page, each a thin ``page`` module with its ``link`` (what a share link
  holds), session state and ``render_*`` views: :mod:`dashboard.article`,
  :mod:`dashboard.corpus`, :mod:`dashboard.compare`;
- shared: :mod:`~dashboard.cache` (the ``st.cache_*`` resources and analyses),
  :mod:`~dashboard.jobs` (every background thread), :mod:`~dashboard.warmup` (the first view
  made ready early), :mod:`~dashboard.widgets` (widget pieces), :mod:`~dashboard.labels`
  (names a reader sees), :mod:`~dashboard.links` (what every link has in common),
  :mod:`~dashboard.settings`;
- pure (no Streamlit): :mod:`~dashboard.charts` and :mod:`~dashboard.corpus_charts`
  (DataFrame in, figure out), :mod:`~dashboard.render` and :mod:`~dashboard.report` (HTML),
  :mod:`~dashboard.panel` (the article panel component), :mod:`~dashboard.precomputed` (the
  sample articles' shipped analyses), :mod:`~dashboard.sources` (the sample articles).

The numbers come from :mod:`analysis`; the dashboard only selects, arranges and draws them.
"""
