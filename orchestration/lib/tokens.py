"""Spreading repository runs over GitHub tokens: each repository gets a stable token slot, its
run starts with that token (the others stay as fallbacks for rotation) and carries the slot as
the run tag `devmetrics/github_token`, which dagster.yaml limits per value. Slots are indexes:
the tokens themselves never reach tags, config or logs."""

from __future__ import annotations

import zlib

TOKEN_TAG = "devmetrics/github_token"


def token_count(tokens: str | None) -> int:
    return len([t for t in (tokens or "").split(",") if t.strip()])


def token_slot(repository: str, count: int) -> int:
    """The same repository always gets the same slot in 0..count-1 (0 without tokens)."""
    return zlib.crc32(repository.lower().encode()) % count if count > 1 else 0


def tokens_from_slot(tokens: str | None, slot: int) -> str | None:
    """The comma-separated tokens rotated to start at `slot`."""
    names = [t.strip() for t in (tokens or "").split(",") if t.strip()]
    if not names:
        return tokens
    slot %= len(names)
    return ",".join(names[slot:] + names[:slot])
