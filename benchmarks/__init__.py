"""Reproducible benchmarks that print one JSON object as their last line (see README.md)."""
