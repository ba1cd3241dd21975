"""Per-repository extraction for large organisations: one dynamic partition per repository."""
