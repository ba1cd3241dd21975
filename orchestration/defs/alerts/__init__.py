"""Alerts to a Slack-compatible webhook: failed runs and pull requests waiting for review."""
