"""The Article page: one article beside linked, filterable charts.

- :mod:`~dashboard.article.page`: the page (state in, views out);
- :mod:`~dashboard.article.link`: what its share link holds (pure);
- :mod:`~dashboard.article.state`: its session state, keys and the functions that write them
  (:func:`~dashboard.article.state.open_article` for other pages);
- :mod:`~dashboard.article.scope`: what a view shows of an analysis (pure);
- :mod:`~dashboard.article.sidebar`, :mod:`~dashboard.article.views`: the views.
"""
