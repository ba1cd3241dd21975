"""Shared fixtures: emulators on 127.0.0.1 over small synthetic organisations."""

from __future__ import annotations

import pytest

from pipelines.github_emulator import run_emulator

TOKEN = "ghp_test0000000000000000000000000000000000"  # not a real token


@pytest.fixture(scope="session")
def emulator():
    """A read-only emulator shared by tests that never mutate it (scale 0.2, seed 7)."""
    with run_emulator(scale=0.2, seed=7) as gh:
        yield gh


@pytest.fixture
def make_emulator():
    """Factory for a private emulator (faults, mutations, custom limits): run_emulator kwargs."""
    stack = []

    def start(**config):
        config.setdefault("scale", 0.1)
        config.setdefault("seed", 7)
        context = run_emulator(**config)
        gh = context.__enter__()
        stack.append(context)
        return gh

    yield start
    for context in reversed(stack):
        context.__exit__(None, None, None)


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}
