"""Enrichment through the real `anthropic` SDK against the local fake Anthropic API: cache,
prompt versions, spend cap, invalid output, retries, redaction (batches: test_batches.py),
token and cost accounting, and what lands in the marts."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from pipelines.enrichment import refresh_insight_marts, run_enrichment
from pipelines.enrichment.fake_anthropic import Reply
from pipelines.enrichment.pricing import Usage, cost_usd
from pipelines.enrichment.prompts import PROMPT_VERSIONS
from pipelines.enrichment.settings import EnrichmentSettings
from tests.pipelines.enrichment.warehouse import keep_pull_requests, query

PLANTED = "ghp_Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa99"


def set_body(warehouse, pull_request_id: int, body: str) -> None:
    query(
        warehouse,
        "update github_raw.pull_requests set body = ? where id = ?",
        [body, pull_request_id],
    )


def test_cached_rerun_makes_zero_api_calls(warehouse, fake, claude):
    keep_pull_requests(warehouse, 5)
    first = run_enrichment(warehouse, claude)
    calls = len(fake.requests)
    assert calls > 0 and all(t.tally.enriched == t.items for t in first.tasks)
    again = run_enrichment(warehouse, claude)
    assert len(fake.requests) == calls
    assert all(t.cached == t.items and t.tally.requests == 0 for t in again.tasks)


def test_changed_item_or_prompt_version_reenriches_only_what_it_covers(
    warehouse, fake, claude, monkeypatch
):
    ids = keep_pull_requests(warehouse, 4)
    run_enrichment(warehouse, claude, tasks=["pull_requests", "commits"])
    set_body(warehouse, ids[0], "A new description.")
    fake.reset()
    report = run_enrichment(warehouse, claude, tasks=["pull_requests", "commits"])
    assert [t.tally.enriched for t in report.tasks] == [1, 0] and len(fake.calls()) == 1
    monkeypatch.setitem(PROMPT_VERSIONS, "pull_requests", "pr-v2")
    fake.reset()
    report = run_enrichment(warehouse, claude, tasks=["pull_requests", "commits"])
    assert [t.tally.enriched for t in report.tasks] == [4, 0] and len(fake.calls()) == 4
    versions = query(
        warehouse,
        "select prompt_version, count(*) from enrichment.pull_request_insights group by 1 order by 1",
    )
    assert versions == [("pr-v1", 5), ("pr-v2", 4)]


def test_spend_cap_stops_sending_keeps_partial_results_and_reports_what_remains(
    warehouse, fake, claude
):
    keep_pull_requests(warehouse, 20)
    report = run_enrichment(warehouse, replace(claude, max_usd=0.004), tasks=["pull_requests"])
    (prs,) = report.tasks
    sent = len(fake.calls())
    assert 0 < sent < 20 and prs.tally.enriched == sent and prs.tally.remaining == 20 - sent
    assert query(warehouse, "select count(*) from enrichment.pull_request_insights") == [(sent,)]
    one_request = report.spent_usd / sent
    assert 0.004 <= report.spent_usd < 0.004 + 1.5 * one_request
    assert any(f"{20 - sent} items remain" in line for line in report.lines())


def test_a_retry_the_spend_cap_stopped_leaves_the_item_due_for_the_next_run(
    warehouse, fake, claude
):
    ids = keep_pull_requests(warehouse, 3)
    fake.enqueue(Reply.invalid_json())
    capped = run_enrichment(warehouse, replace(claude, max_usd=1e-9), tasks=["pull_requests"])
    assert len(fake.calls()) == 1 and capped.tasks[0].tally.remaining == 3
    assert any("spend cap reached: 3 items remain" in line for line in capped.lines())
    ((key, reason, cost),) = query(
        warehouse, "select item_key, reason, cost_usd from enrichment.quarantine"
    )
    assert key == str(ids[0]) and "spend cap" in reason and cost > 0  # what it cost is kept
    fake.reset()
    again = run_enrichment(warehouse, claude, tasks=["pull_requests"])
    assert again.tasks[0].cached == 0 and again.tasks[0].tally.enriched == 3
    assert len(fake.calls()) == 3


def test_invalid_output_is_retried_once_with_the_error_then_quarantined(warehouse, fake, claude):
    ids = keep_pull_requests(warehouse, 3)
    fake.enqueue(Reply.invalid_json(), Reply.out_of_range())
    report = run_enrichment(warehouse, claude, tasks=["pull_requests"])
    first, retry, *_ = fake.calls()
    retry_text = json.dumps(retry["body"]["messages"])
    assert "That answer is invalid" in retry_text and "invalid JSON: Expecting value" in retry_text
    assert retry["body"]["messages"][0] == first["body"]["messages"][0]
    assert (report.tasks[0].tally.enriched, report.tasks[0].tally.quarantined) == (2, 1)
    ((key, reason),) = query(warehouse, "select item_key, reason from enrichment.quarantine")
    assert key == str(ids[0]) and "risk_score: 250 is above the maximum 100" in reason
    assert query(
        warehouse,
        "select count(*), max(risk_score) from enrichment.pull_request_insights where pull_request_id = ?",
        [ids[0]],
    ) == [(0, None)]
    fake.reset()
    assert run_enrichment(warehouse, claude, tasks=["pull_requests"]).tasks[0].cached == 3
    assert fake.calls() == []  # a quarantined item is not re-sent until it or the prompt changes


def test_out_of_range_commit_values_are_retried_and_the_valid_retry_is_stored(
    warehouse, fake, claude
):
    fake.enqueue(Reply.out_of_range())
    report = run_enrichment(warehouse, replace(claude, commits_per_request=100), tasks=["commits"])
    assert report.tasks[0].tally.quarantined == 0 and report.tasks[0].tally.enriched == 797
    assert len(fake.calls()) == 9  # 8 requests of up to 100 commits + 1 retry of the first
    assert query(
        warehouse,
        "select min(sentiment) >= -1, max(sentiment) <= 1, max(confidence) <= 1 from enrichment.commit_insights",
    ) == [(True, True, True)]


def test_planted_secrets_in_a_pull_request_never_reach_any_request(warehouse, fake, claude):
    ids = keep_pull_requests(warehouse, 2)
    set_body(
        warehouse,
        ids[0],
        f"Deploy with {PLANTED} and postgres://ci:s3cretpass@db/app key AKIAIOSFODNN7EXAMPLE",
    )
    query(
        warehouse, "update github_raw.pull_requests set title = ? where id = ?", [PLANTED, ids[1]]
    )
    query(
        warehouse,
        "update github_raw.commits set message = ? where sha = (select min(sha) from github_raw.commits)",
        [f"fix: rotate AKIAIOSFODNN7EXAMPLE, was {PLANTED}"],
    )
    run_enrichment(
        warehouse, replace(claude, batch_threshold=10**6), tasks=["pull_requests", "commits"]
    )
    sent = [r["raw"] for r in fake.requests]
    assert sent and any("[REDACTED:github-token]" in raw for raw in sent)
    stored = query(
        warehouse,
        "select string_agg(summary || entities, ' ') from enrichment.commit_insights "
        "union all select string_agg(summary || suggestions, ' ') from enrichment.pull_request_insights",
    )
    assert "[REDACTED:github-token]" in str(stored)
    for secret in (PLANTED, "s3cretpass", "AKIAIOSFODNN7EXAMPLE"):
        assert not any(secret in raw for raw in sent) and secret not in str(stored)


def test_diffs_are_sent_only_when_the_user_opts_in(warehouse, fake, claude):
    ids = keep_pull_requests(warehouse, 1)
    set_body(warehouse, ids[0], "Fix.\n```diff\n-    retries = 1\n+    retries = 3\n```")
    run_enrichment(warehouse, claude, tasks=["pull_requests"])
    assert "retries = 3" not in fake.calls()[-1]["raw"]
    run_enrichment(warehouse, replace(claude, send_diffs=True), tasks=["pull_requests"])
    assert "retries = 3" in fake.calls()[-1]["raw"]


def test_token_and_cost_figures_match_the_fake_usage(warehouse, fake, claude):
    keep_pull_requests(warehouse, 6)
    fake.enqueue(Reply.invalid_json())  # a retried item carries both requests' usage
    fake.cache_minimum_tokens = 0  # the instructions are shorter than the real minimum
    run_enrichment(warehouse, claude)
    assert all(
        r["body"]["system"][0]["cache_control"] == {"type": "ephemeral"} for r in fake.calls()
    )
    answered = [r for r in fake.calls() if "usage" in r]
    billed = sum((Usage(**r["usage"]) for r in answered), Usage())
    dollars = sum(cost_usd(r["body"]["model"], Usage(**r["usage"])) for r in answered)
    stored = query(
        warehouse,
        """
        select sum(input_tokens), sum(output_tokens), sum(cost_usd) from (
            select input_tokens, output_tokens, cost_usd from enrichment.pull_request_insights
            union all select input_tokens, output_tokens, cost_usd from enrichment.commit_insights
            union all select input_tokens, output_tokens, cost_usd from enrichment.weekly_digests
            union all select input_tokens, output_tokens, cost_usd from enrichment.quarantine)
        """,
    )[0]
    assert stored[:2] == (billed.total_input_tokens, billed.output_tokens)
    assert stored[2] == pytest.approx(dollars)
    assert billed.cache_read_input_tokens > 0  # the shared instructions are cached


def test_retries_honour_retry_after_on_429_and_back_off_on_529_and_500(warehouse, fake, claude):
    keep_pull_requests(warehouse, 1)
    fake.enqueue(Reply.error(429, retry_after=0.3), Reply.error(529), Reply.error(500))
    sleeps: list[float] = []
    report = run_enrichment(warehouse, claude, tasks=["pull_requests"], sleep=sleeps.append)
    assert report.tasks[0].tally.enriched == 1 and len(fake.calls()) == 4
    assert len(sleeps) == 3 and 0.3 <= sleeps[0] <= 0.33
    assert 0.01 <= sleeps[1] <= 0.02 and 0.02 <= sleeps[2] <= 0.04  # 0.01 * 2^(attempt-1), jittered


def test_provider_model_and_prompt_version_land_in_the_marts(warehouse, fake, claude):
    ids = keep_pull_requests(warehouse, 3)
    run_enrichment(warehouse, claude)
    refresh_insight_marts(warehouse)
    prs = query(
        warehouse,
        "select distinct enrichment_provider, enrichment_model, prompt_version from marts.mart_pull_request_insights where pull_request_id in (?, ?, ?)",
        ids,
    )
    assert prs == [("anthropic", "claude-sonnet-5-5", "pr-v1")]
    commits = query(
        warehouse,
        "select distinct enrichment_provider, enrichment_model, prompt_version from marts.mart_commit_insights",
    )
    assert commits == [("anthropic", "claude-haiku-4-5", "commits-v1")]
    digests = query(
        warehouse,
        "select distinct enrichment_provider, enrichment_model, prompt_version from marts.mart_weekly_digest where digest_text is not null",
    )
    assert digests == [("anthropic", "claude-sonnet-5-5", "digest-v1")]


def test_without_a_key_the_heuristic_provider_fills_the_same_columns_and_says_so(
    warehouse, monkeypatch
):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("DEVMETRICS_LLM_PROVIDER", raising=False)
    report = run_enrichment(warehouse, EnrichmentSettings.from_env())
    assert report.provider == "heuristic" and "ANTHROPIC_API_KEY" in report.hint
    assert report.hint in report.lines()
    nulls = query(
        warehouse,
        "select count(*) filter (where category is null or risk_score is null or summary is null), "
        "count(distinct enrichment_provider || enrichment_model || prompt_version), max(cost_usd) "
        "from enrichment.pull_request_insights",
    )
    assert nulls == [(0, 1, 0.0)]
    assert query(
        warehouse,
        "select distinct enrichment_provider, enrichment_model from enrichment.commit_insights",
    ) == [("heuristic", "heuristic-v1")]


def test_a_refused_request_stops_the_run_with_what_to_do_and_keeps_earlier_rows(
    warehouse, fake, claude
):
    keep_pull_requests(warehouse, 3)
    fake.enqueue(Reply(), Reply.error(400))
    report = run_enrichment(warehouse, claude, tasks=["pull_requests", "commits"])
    assert (
        report.stopped
        and "HTTP 400" in report.stopped
        and "DEVMETRICS_LLM_MODEL_" in report.stopped
    )
    assert report.tasks[0].tally.enriched == 1 and len(report.tasks) == 1
    assert query(warehouse, "select count(*) from enrichment.pull_request_insights") == [(1,)]
