"""The serving snapshot: the marts published atomically for BI tools and notebooks."""
