"""Settings from the environment, provider resolution, list-price costing."""

from __future__ import annotations

import pytest

from pipelines.enrichment.claude import split
from pipelines.enrichment.pricing import Usage, cost_usd
from pipelines.enrichment.settings import HEURISTIC_MODEL, EnrichmentSettings


def test_environment_sets_provider_models_cap_and_diffs(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    monkeypatch.setenv("DEVMETRICS_LLM_MODEL_COMMITS", "claude-sonnet-5-5")
    monkeypatch.setenv("DEVMETRICS_LLM_MAX_USD", "0.5")
    monkeypatch.setenv("DEVMETRICS_LLM_SEND_DIFFS", "true")
    settings = EnrichmentSettings.from_env()
    assert (
        settings.resolved_provider == "anthropic"
        and settings.model("commits") == "claude-sonnet-5-5"
    )
    assert settings.max_usd == 0.5 and settings.send_diffs
    forced = EnrichmentSettings.from_env(provider="heuristic")
    assert (
        forced.resolved_provider == "heuristic" and forced.model("pull_requests") == HEURISTIC_MODEL
    )


def test_provider_anthropic_without_a_key_and_unknown_providers_are_refused(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(ValueError, match="needs ANTHROPIC_API_KEY"):
        _ = EnrichmentSettings.from_env(provider="anthropic").resolved_provider
    with pytest.raises(ValueError, match="expected auto, anthropic or heuristic"):
        EnrichmentSettings.from_env(provider="openai")
    assert EnrichmentSettings.from_env().resolved_provider == "heuristic"


def test_cost_uses_list_prices_cache_multipliers_and_the_batch_discount():
    usage = Usage(
        input_tokens=1_000_000,
        output_tokens=1_000_000,
        cache_creation_input_tokens=1_000_000,
        cache_read_input_tokens=1_000_000,
    )
    # Haiku 4.5: $1 input, $5 output; cache write 1.25x, read 0.1x
    assert cost_usd("claude-haiku-4-5", usage) == pytest.approx(1 + 5 + 1.25 + 0.1)
    assert cost_usd("claude-haiku-4-5", usage, batch=True) == pytest.approx(
        (1 + 5 + 1.25 + 0.1) / 2
    )
    assert cost_usd("some-future-model", Usage(input_tokens=1_000_000)) == pytest.approx(10.0)


def test_usage_split_over_a_request_accounts_for_every_token_once():
    parts = split(Usage(10, 7, 3, 101), 4)
    assert sum(parts, Usage()) == Usage(10, 7, 3, 101)
    assert [p.input_tokens for p in parts] == [3, 3, 2, 2]
