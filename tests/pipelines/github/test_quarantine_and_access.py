"""Bad input never stops a run: malformed records go to github_raw.quarantine with a reason, and a
repository that answers 401/403/404 is reported by name while the others still load."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SCALE, SEED
from extract_helpers import TOKEN, TRUTH, extract, query

from pipelines.cli import main
from pipelines.github_emulator import run_emulator

RECORDED = Path(__file__).resolve().parents[2] / "fixtures" / "recorded"


@pytest.fixture(scope="module")
def recorded_load(tmp_path_factory):
    with run_emulator(load_dir=RECORDED) as gh:
        warehouse = tmp_path_factory.mktemp("recorded") / "warehouse.duckdb"
        yield gh, warehouse, extract(gh, warehouse)


def _quarantined(warehouse) -> list[tuple]:
    return query(
        warehouse,
        "select entity, repository, record_key, reason, payload from github_raw.quarantine",
    )


def test_pull_request_with_a_non_iso_created_at_is_quarantined_with_the_reason(recorded_load):
    _, warehouse, _ = recorded_load
    rows = [r for r in _quarantined(warehouse) if r[0] == "pull_requests" and "#5" in r[2]]
    assert len(rows) == 1
    _, repository, key, reason, payload = rows[0]
    assert (repository, key) == ("northwind-labs/orders-api", "northwind-labs/orders-api#5")
    assert reason == "created_at is not an ISO-8601 timestamp: 'yesterday'"
    assert '"title": "Cache price lookups"' in payload
    assert query(
        warehouse, "select count(*) from github_raw.pull_requests where id = 1770000105"
    ) == [(0,)]


def test_commit_whose_additions_github_cannot_serialise_is_quarantined_naming_the_field(
    recorded_load,
):
    _, warehouse, _ = recorded_load
    rows = [r for r in _quarantined(warehouse) if r[0] == "commits"]
    assert len(rows) == 1
    _, repository, key, reason, _ = rows[0]
    assert repository == "northwind-labs/orders-api"
    assert "additions" in reason and "'lots'" in reason
    assert key.endswith(".additions")
    sha = "86fe13d5"
    assert query(
        warehouse, "select count(*) from github_raw.commits where starts_with(sha, ?)", [sha]
    ) == [(0,)]


def test_everything_but_the_two_malformed_records_loads(recorded_load):
    gh, warehouse, result = recorded_load
    truth = gh.store.ground_truth()
    expected = {table: sum(truth[k] for k in kinds) for table, kinds in TRUTH.items()}
    expected["pull_requests"] -= 1  # orders-api #5, created_at "yesterday"
    expected["commits"] -= 1  # 86fe13d5, additions "lots"
    assert {t: result.row_counts[t] for t in TRUTH} == expected
    assert sorted((e, k) for e, _, k, _, _ in _quarantined(warehouse)) == sorted(
        [
            ("pull_requests", "northwind-labs/orders-api#5"),
            (
                "commits",
                "northwind-labs/orders-api:repository.defaultBranchRef.target.history.nodes.0.additions",
            ),
        ]
    )
    assert result.report.ok


def test_missing_repository_is_named_with_what_to_check_and_the_other_still_loads(
    make_emulator, tmp_path
):
    gh = make_emulator(scale=SCALE, seed=SEED)
    org = gh.store.org.login
    result = extract(
        gh, tmp_path / "w.duckdb", repositories=[f"{org}/no-such-repo", f"{org}/billing-service"]
    )
    assert list(result.report.failures) == [f"{org}/no-such-repo"]
    message = result.report.failures[f"{org}/no-such-repo"]
    assert "404" in message and f"{org}/no-such-repo" in message
    assert "check the name" in message
    assert result.report.extracted == [f"{org}/billing-service"]
    truth = gh.store.ground_truth(per_repository=True)["per_repository"][f"{org}/billing-service"]
    assert result.row_counts["pull_requests"] == truth["pull_requests"] > 0
    assert not result.report.ok


def test_forbidden_repository_is_named_with_what_to_check_and_the_other_still_loads(
    make_emulator, tmp_path
):
    gh = make_emulator(scale=SCALE, seed=SEED, forbidden_repos=frozenset({"api-gateway"}))
    org = gh.store.org.login
    result = extract(gh, tmp_path / "w.duckdb")
    assert list(result.report.failures) == [f"{org}/api-gateway"]
    message = result.report.failures[f"{org}/api-gateway"]
    assert "403" in message and f"{org}/api-gateway" in message and "scopes" in message
    assert result.report.extracted == [f"{org}/billing-service"]
    runs = dict(
        query(
            tmp_path / "w.duckdb",
            "select repository, count(*) from github_raw.workflow_runs group by 1",
        )
    )
    truth = gh.store.ground_truth(per_repository=True)["per_repository"]
    assert runs == {f"{org}/billing-service": truth[f"{org}/billing-service"]["workflow_runs"]}


def test_extract_command_exits_non_zero_with_a_summary_naming_the_failed_repository(
    make_emulator, tmp_path
):
    gh = make_emulator(scale=SCALE, seed=SEED)
    org = gh.store.org.login
    outcome = CliRunner().invoke(
        main,
        [
            "extract",
            "--repo",
            f"{org}/billing-service",
            "--repo",
            f"{org}/gone",
            "--warehouse",
            str(tmp_path / "w.duckdb"),
            "--api-url",
            gh.api_url,
        ],
        env={"GITHUB_TOKEN": TOKEN},
    )
    assert outcome.exit_code == 1
    assert "1 repositories extracted" in outcome.output and "1 failed" in outcome.output
    assert f"FAILED {org}/gone: GitHub answered 404" in outcome.output


def test_rejected_token_stops_the_run_with_a_message_saying_to_check_the_token(
    make_emulator, tmp_path
):
    gh = make_emulator(scale=SCALE, seed=SEED, tokens=frozenset({"the-right-token"}))
    result = extract(gh, tmp_path / "w.duckdb")
    assert not result.report.ok and not result.report.extracted
    assert "check GITHUB_TOKEN" in result.report.stopped
    assert result.row_counts["pull_requests"] == 0
