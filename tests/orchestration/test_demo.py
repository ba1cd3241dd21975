"""`devmetrics demo` prints the ground-truth comparison, the team summary, and ends with where the
files are, the organisation's headline table and the next commands; it runs the asset graph."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from orchestration.run import outcome_of
from pipelines.cli import main
from pipelines.demo import run_demo


def test_demo_ends_with_the_files_the_headline_table_and_the_next_commands(graph_run, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    lines: list[str] = []
    calls = []

    def already_materialized(warehouse, org, api_url, token, as_of):
        calls.append((warehouse, org, as_of))
        return outcome_of(graph_run.result)

    code = run_demo(
        graph_run.warehouse, 0.1, 7, materialize=already_materialized, echo=lines.append
    )
    text = "\n".join(lines)
    assert code == 0, text
    assert calls == [(graph_run.warehouse, graph_run.gh.store.org.login, "2026-11-01 00:00:00")]
    truth = graph_run.gh.store.ground_truth()
    assert any(
        line.split()[:2] == ["pull_requests", str(truth["pull_requests"])] for line in lines
    ), text
    assert "asset checks passed, 0 failed" in text
    assert "set ANTHROPIC_API_KEY" in text  # says how to switch from heuristics to Claude
    tail = text[text.index("Warehouse ") :]
    assert str(graph_run.warehouse) in tail
    assert "Organisation, last three months" in tail
    assert tail.index("Organisation") < tail.index("dagster dev") < tail.index("notebooks/")
    assert "Query the marts from a BI tool" in tail and "DEVMETRICS_GITHUB_ORG" in tail


@pytest.mark.slow
def test_devmetrics_demo_materializes_the_asset_graph_against_the_emulator(tmp_path):
    outcome = CliRunner().invoke(
        main, ["demo", "--scale", "0.1", "--seed", "7", "--warehouse", str(tmp_path / "d.duckdb")]
    )
    assert outcome.exit_code == 0, outcome.output
    assert "assets materialised" in outcome.output and "Next:" in outcome.output
