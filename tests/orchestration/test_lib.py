"""The pure helpers of the wiring: dbt command lines, the warehouse handed to dbt, extraction
reports turned into step failures, manifest staleness, raw-table descriptions."""

from __future__ import annotations

import json
import os
import time

from orchestration.lib.dbt_args import (
    build_options,
    build_tags,
    dbt_build_args,
    warehouse_env,
)
from orchestration.lib.dbt_project import DBT_PROJECT, manifest_is_stale, prepared_manifest
from orchestration.lib.extraction import report_problems, source_kwargs
from orchestration.lib.translators import raw_table_description
from pipelines.github import ExtractionReport


def test_scheduled_dbt_build_skips_unit_tests_and_pins_as_of_when_asked():
    assert dbt_build_args() == ["build", "--exclude-resource-type", "unit_test"]
    args = dbt_build_args(full_refresh=True, unit_tests=True, as_of="2026-11-01 00:00:00")
    assert args[:2] == ["build", "--full-refresh"]
    assert json.loads(args[args.index("--vars") + 1]) == {"as_of": "2026-11-01 00:00:00"}
    options = build_options(build_tags(as_of="2026-11-01 00:00:00", full_refresh=True))
    assert options == {"full_refresh": True, "unit_tests": False, "as_of": "2026-11-01 00:00:00"}
    assert build_options({}) == {"full_refresh": False, "unit_tests": False, "as_of": ""}


def test_warehouse_env_points_dbt_at_the_warehouse_and_restores_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("DEVMETRICS_WAREHOUSE", "before.duckdb")
    with warehouse_env(tmp_path / "w.duckdb"):
        assert os.environ["DEVMETRICS_WAREHOUSE"] == str(tmp_path / "w.duckdb")
    assert os.environ["DEVMETRICS_WAREHOUSE"] == "before.duckdb"


def test_a_failed_repository_fails_the_step_with_what_to_do():
    report = ExtractionReport()
    assert report_problems(report) is None
    report.failures["acme/secret"] = "403: the token lacks access"
    message = report_problems(report)
    assert "acme/secret: 403" in message and "re-run" in message


def test_tokens_become_dlt_access_token_and_nothing_unset_is_passed():
    report = ExtractionReport()
    kwargs = source_kwargs({"org": "acme", "tokens": "a,b"}, report)
    assert kwargs == {"org": "acme", "access_token": "a,b", "report": report}


def test_manifest_is_stale_when_a_model_is_newer():
    manifest = prepared_manifest(DBT_PROJECT)
    assert not manifest_is_stale(DBT_PROJECT)
    fresh = manifest.stat().st_mtime
    os.utime(manifest, (time.time() - 10**6, time.time() - 10**6))
    try:
        assert manifest_is_stale(DBT_PROJECT)
    finally:
        os.utime(manifest, (fresh, fresh))


def test_raw_table_descriptions_name_the_key_and_the_dbt_source():
    text = raw_table_description("pull_request_reviews")
    assert "merged on id" in text and "pull_request_id" in text
    assert "source('github', 'pull_request_reviews')" in text
