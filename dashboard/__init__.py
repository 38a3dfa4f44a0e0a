"""The NewsLens app (Streamlit): ``app.py`` checks the settings and picks the page.

- a package per page, each a thin ``page`` module with its ``link`` (what a share link
  holds), session state and ``render_*`` views: :mod:`dashboard.article`,
  :mod:`dashboard.corpus`, :mod:`dashboard.compare`;
- shared: :mod:`~dashboard.cache` (the pipeline, the share store and analyses, cached),
  :mod:`~dashboard.jobs` (every background thread), :mod:`~dashboard.warmup` (the first view
  made ready early), :mod:`~dashboard.widgets` (widget pieces), :mod:`~dashboard.panel` (the
  article panel, a custom component), :mod:`~dashboard.history` (Back and Forward),
  :mod:`~dashboard.labels` (names a reader sees), :mod:`~dashboard.links` (what every link
  has in common), :mod:`~dashboard.settings`;
- pure (no Streamlit; an import contract checks it): :mod:`~dashboard.charts` (DataFrame in,
  figure out; the Corpus page's in :mod:`dashboard.corpus.charts`), :mod:`~dashboard.render`
  and :mod:`~dashboard.report` (HTML), :mod:`~dashboard.precomputed` (the sample articles'
  shipped analyses), :mod:`~dashboard.sources` (the sample articles), and each page's ``link``.

The numbers come from :mod:`analysis`; the dashboard only selects, arranges and draws them.
"""
