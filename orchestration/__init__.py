"""Dagster wiring for DevMetrics: `definitions.py` loads `defs/`; no business logic lives here."""
