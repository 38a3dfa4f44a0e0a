"""The Article page's revisions view alone, for AppTest: the article text is read from the file
``NEWSLENS_TEST_ARTICLE`` names; the session keys the Corpus page leaves are set by the test."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from dashboard.article.revisions import render_revisions  # noqa: E402

render_revisions(Path(os.environ["NEWSLENS_TEST_ARTICLE"]).read_bytes(), key="article_revisions")
