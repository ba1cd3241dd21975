"""Fixtures: a private copy of a small built warehouse per test, and the fake Anthropic API."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipelines.enrichment.fake_anthropic import run_fake_anthropic
from pipelines.enrichment.settings import EnrichmentSettings
from tests.pipelines.enrichment.warehouse import copy_of, small_warehouse


@pytest.fixture(scope="session")
def base_warehouse(tmp_path_factory):
    return small_warehouse(tmp_path_factory)


@pytest.fixture
def warehouse(base_warehouse, tmp_path):
    return copy_of(base_warehouse, tmp_path)


@pytest.fixture
def fake():
    with run_fake_anthropic() as running:
        yield running


@pytest.fixture
def claude(fake) -> EnrichmentSettings:
    """Settings that send to the fake with the real SDK, and never sleep long."""
    return replace(
        EnrichmentSettings(),
        provider="anthropic",
        api_key="sk-ant-test-not-a-key",
        base_url=fake.base_url,
        backoff_seconds=0.01,
        batch_poll_seconds=0.01,
        batch_poll_max_seconds=0.02,
    )
