"""What NewsLens keeps: the share store behind article links and the corpus store (DuckDB) with
its queries."""
