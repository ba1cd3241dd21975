"""Asset checks beyond the dbt tests: freshness, raw-vs-fact reconciliation, row-count drops."""
