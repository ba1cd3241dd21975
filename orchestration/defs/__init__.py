"""One folder per integration (dlt, dbt, enrichment, serving, alerts), small single-purpose files."""
