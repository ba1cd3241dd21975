"""`devmetrics ask`: guards reject every forbidden kind of statement without running it; a
valid question runs end to end (fake Claude writes the SQL, the rows answer it)."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.enrichment.ask import ask, marts_schema
from pipelines.enrichment.ask_guards import RejectedQuery, check_query
from pipelines.enrichment.fake_anthropic import Reply

MARTS = {"mart_team_weekly", "fct_pull_requests"}

FORBIDDEN = [
    ("select 1 as a; select 2 as b", "one statement"),
    ("select * from marts.mart_team_weekly; drop table marts.mart_team_weekly", "one statement"),
    ("attach 'other.duckdb' as other", "ATTACH"),
    ("copy marts.mart_team_weekly to 'out.csv'", "COPY"),
    ("pragma database_list", "PRAGMA"),
    ("install httpfs", "INSTALL"),
    ("load httpfs", "LOAD"),
    ("export database 'dump'", "EXPORT"),
    ("import database 'dump'", "IMPORT"),
    ("set threads = 1", "SET"),
    ("delete from marts.mart_team_weekly", "DELETE"),
    ("create table marts.x as select 1", "CREATE"),
    ("select * from read_csv('/etc/passwd')", "table function read_csv"),
    ("select * from read_parquet('s3://bucket/x.parquet')", "table function read_parquet"),
    ("select * from read_json('https://example.com/x.json')", "table function read_json"),
    ("select * from glob('/home/*')", "table function glob"),
    ("select * from '/etc/passwd'", "not a marts relation"),
    ("select getenv('ANTHROPIC_API_KEY')", "getenv"),
    ("select * from github_raw.commits", "github_raw.commits is not a marts relation"),
    ("select * from staging.stg_github__commits", "not a marts relation"),
    ("select * from mart_team_weekly", "not a marts relation"),
    ("select * from other.marts.mart_team_weekly", "not a marts relation"),
    ("with x as (select * from github_raw.users) select * from x", "github_raw.users"),
]


@pytest.mark.parametrize(("sql", "reason"), FORBIDDEN)
def test_each_forbidden_statement_kind_is_rejected(sql, reason):
    with pytest.raises(RejectedQuery, match=reason):
        check_query(sql, MARTS)


@pytest.mark.parametrize(
    "sql",
    [
        "select team_slug, avg(pickup_time_p50) from marts.mart_team_weekly group by 1",
        "with slow as (select * from marts.fct_pull_requests where cycle_time > 48) select count(*) from slow",
        "select 'attach; copy' as words from marts.mart_team_weekly",
    ],
)
def test_single_selects_over_marts_pass_the_guards(sql):
    check_query(sql, MARTS)


def test_schema_prompt_comes_from_the_marts_model_yaml():
    schema = marts_schema()
    assert "marts.mart_team_weekly:" in schema and "  - pickup_time_p50" in schema
    assert "stg_github__" not in schema


def test_a_question_runs_end_to_end_with_the_sql_and_rows_it_used(warehouse, fake, claude):
    sql = "select team_slug, round(avg(pickup_time_p50), 1) as pickup_p50_hours from marts.mart_team_weekly group by 1 order by 2 desc"
    fake.enqueue(
        Reply.output({"sql": sql, "explanation": "Average weekly median pickup per team."})
    )
    answer = ask("which team had the slowest reviews?", warehouse, settings=claude)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        expected = con.execute(sql).fetchall()
    assert answer.rejected is None and answer.sql == sql and answer.rows == expected
    assert answer.columns == ["team_slug", "pickup_p50_hours"] and answer.answer
    question, result = fake.calls()
    assert "marts.mart_team_weekly" in question["body"]["system"][0]["text"]  # the schema prompt
    assert expected[0][0] in result["raw"]  # the answer is written from the rows


def test_a_rejected_generated_query_is_explained_and_not_run(warehouse, fake, claude):
    fake.enqueue(
        Reply.output({"sql": "copy marts.mart_team_weekly to '/tmp/x.csv'", "explanation": "x"})
    )
    answer = ask("export it", warehouse, settings=claude)
    assert answer.rejected and "COPY" in answer.rejected and answer.rows == []
    assert len(fake.calls()) == 1  # no answer was asked for


def test_ask_prefers_the_serving_snapshot_limits_rows_and_runs_read_only(
    warehouse, tmp_path, claude
):
    serving = tmp_path / "serving.duckdb"
    shutil.copy(warehouse, serving)
    answer = ask(
        "x", warehouse, serving, settings=claude, sql="select * from marts.fct_commits", row_limit=7
    )
    assert answer.database == str(serving) and len(answer.rows) == 7 and answer.truncated


def test_cli_ask_prints_sql_rows_and_exits_2_on_a_rejected_query(warehouse, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    runner = CliRunner()
    ok = runner.invoke(
        main,
        [
            "ask",
            "count",
            "--warehouse",
            str(warehouse),
            "--sql",
            "select count(*) as n from marts.fct_pull_requests",
        ],
    )
    assert ok.exit_code == 0 and "select count(*) as n" in ok.output and "\n166\n" in ok.output
    rejected = runner.invoke(
        main, ["ask", "x", "--warehouse", str(warehouse), "--sql", "pragma version"]
    )
    assert rejected.exit_code == 2 and "REJECTED, not run: PRAGMA" in rejected.output
    no_key = runner.invoke(main, ["ask", "which team?", "--warehouse", str(warehouse)])
    assert no_key.exit_code == 2 and "ANTHROPIC_API_KEY" in no_key.output
