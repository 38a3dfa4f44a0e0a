"""The command line: ``newslens`` (one article or a batch) and ``newslens corpus``."""
