#!/bin/sh
# Rebuild wikinews-2019-2020.parquet/ (the sample corpus, analysed, with its datapackage.json)
# from the JSON lines next to it. Run from anywhere after a change to the analysis
# (tests/dashboard/test_corpus_views.py fails on a stale export).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
newslens corpus add "$here/wikinews-2019-2020.jsonl" --db "$work/wikinews-2019-2020.duckdb" --quiet
rm -rf "$here/wikinews-2019-2020.parquet"
newslens corpus export "$here/wikinews-2019-2020.parquet" --db "$work/wikinews-2019-2020.duckdb"
du -sh "$here/wikinews-2019-2020.parquet"
