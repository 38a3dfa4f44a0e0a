"""The Compare page: two to four articles side by side.

- :mod:`~dashboard.compare.page`: the page (state in, views out);
- :mod:`~dashboard.compare.candidates`: the articles it can compare;
- :mod:`~dashboard.compare.passages`: what articles share and what sets each apart (pure);
- :mod:`~dashboard.compare.views`: the views.
"""
