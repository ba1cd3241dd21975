"""Backfill windows load only their window and leave the cursors alone; the extract command's
usage errors say what to do."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from conftest import SCALE, SEED
from extract_helpers import extract, pipeline_state, query

from pipelines.cli import main


def _day(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC).replace(hour=0, minute=0, second=0)


def test_backfill_window_loads_only_its_window_and_leaves_the_cursors_untouched(
    make_emulator, tmp_path
):
    gh = make_emulator(scale=SCALE, seed=SEED)
    store = gh.store
    created = sorted(p.created_at for r in store.repos.values() for p in r.pulls.values())
    start = _day(created[len(created) // 2])
    since, until = start.date().isoformat(), (start + timedelta(days=21)).date().isoformat()
    lo, hi = int(start.timestamp()), int((start + timedelta(days=21)).timestamp())

    def inside(ts) -> bool:
        return lo <= ts < hi

    warehouse = tmp_path / "w.duckdb"
    extract(gh, warehouse)
    cursors = copy.deepcopy(pipeline_state(warehouse)["sources"]["github"]["repositories"])
    assert all(c["cursors"] for c in cursors.values())

    backfill = tmp_path / "backfill.duckdb"
    result = extract(gh, backfill, since=since, until=until)
    assert result.report.ok
    expected = {
        "pull_requests": {
            p.id for r in store.repos.values() for p in r.pulls.values() if inside(p.updated_at)
        },
        "issues": {
            i.id for r in store.repos.values() for i in r.issues.values() if inside(i.updated_at)
        },
        "deployments": {
            d.id for r in store.repos.values() for d in r.deployments if inside(d.created_at)
        },
        "workflow_runs": {
            w.id for r in store.repos.values() for w in r.workflow_runs if inside(w.created_at)
        },
        "commits": {
            sha
            for r in store.repos.values()
            for sha in r.default_branch_shas
            if inside(r.commits[sha].committed_at)
        },
    }
    for table, ids in expected.items():
        key = "sha" if table == "commits" else "id"
        loaded = {v for (v,) in query(backfill, f"select {key} from github_raw.{table}")}
        assert ids and loaded == ids, table
    assert (
        "repositories" not in pipeline_state(backfill)["sources"]["github"]
        or not (pipeline_state(backfill)["sources"]["github"]["repositories"])
    )

    extract(gh, warehouse, since=since, until=until)
    assert pipeline_state(warehouse)["sources"]["github"]["repositories"] == cursors


def test_extract_without_a_token_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no .dlt/secrets.toml here
    outcome = CliRunner().invoke(
        main,
        ["extract", "--org", "acme-corp"],
        env={"GITHUB_TOKEN": "", "SOURCES__GITHUB__ACCESS_TOKEN": ""},
    )
    assert outcome.exit_code == 2
    assert "No GitHub token: set GITHUB_TOKEN" in outcome.output
    assert "devmetrics demo" in outcome.output


def test_extract_with_both_org_and_repo_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outcome = CliRunner().invoke(
        main,
        ["extract", "--org", "acme-corp", "--repo", "acme-corp/api"],
        env={"GITHUB_TOKEN": "x"},
    )
    assert outcome.exit_code == 2
    assert "either --org ORG or one or more --repo OWNER/NAME" in outcome.output


def test_extract_with_a_malformed_repo_name_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outcome = CliRunner().invoke(
        main, ["extract", "--repo", "just-a-name"], env={"GITHUB_TOKEN": "x"}
    )
    assert outcome.exit_code == 2
    assert "expected OWNER/NAME" in outcome.output


def test_dlt_config_files_alone_name_the_organisation_api_url_and_token(make_emulator, tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    gh = make_emulator(scale=SCALE, seed=SEED)
    (tmp_path / ".dlt").mkdir()
    (tmp_path / ".dlt" / "config.toml").write_text(
        f'[sources.github]\norg = "{gh.store.org.login}"\napi_url = "{gh.api_url}"\n'
    )
    (tmp_path / ".dlt" / "secrets.toml").write_text(
        '[sources.github]\naccess_token = "from-secrets"\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "SOURCES__"))}
    devmetrics = str(Path(sys.executable).parent / "devmetrics")
    done = subprocess.run(
        [devmetrics, "extract", "--warehouse", "w.duckdb"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    truth = gh.store.ground_truth()
    assert (
        query(tmp_path / "w.duckdb", "select count(*) from github_raw.pull_requests")[0][0]
        == (truth["pull_requests"])
    )
    assert f"{truth['repositories']} repositories extracted" in done.stdout
