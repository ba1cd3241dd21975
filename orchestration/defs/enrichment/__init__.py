"""Enrichment assets: enrichment/pull_request_insights, commit_insights, weekly_digests."""
