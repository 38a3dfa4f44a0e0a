"""Fixtures of the core tests."""

import pytest
import spacy

from analysis.core.entities import add_entity_components


@pytest.fixture(scope="module")
def blank():
    """A blank English pipeline with NewsLens's entity components (no model)."""
    nlp = spacy.blank("en")
    add_entity_components(nlp)
    return nlp
