"""The Corpus page: a stored corpus at a glance.

- :mod:`~dashboard.corpus.page`: the page (state in, views out);
- :mod:`~dashboard.corpus.link`: what its share link (and the Compare page's) holds (pure);
- :mod:`~dashboard.corpus.data`: the queries its views run, their cache and prefetch;
- :mod:`~dashboard.corpus.choice`: which corpus (the sample, stored ones, uploads);
- :mod:`~dashboard.corpus.views`, :mod:`~dashboard.corpus.paragraphs`: the views.
"""
