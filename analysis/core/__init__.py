"""The analysis core: an article's text in, typed rows out.

Pure computation: no files, network, database, processes, threads or user interface (the
import contracts in ``pyproject.toml`` check it). The spaCy pipeline is loaded only by
:mod:`analysis.core.nlp` and passed in.
"""
