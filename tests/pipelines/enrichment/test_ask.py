"""`devmetrics ask`: guards reject every forbidden kind of statement without running it; a
valid question runs end to end (fake Claude writes the SQL, the rows answer it)."""

from __future__ import annotations

import shutil
import time

import duckdb
import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.enrichment.ask import ask, marts_schema, run_query
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
    # keywords and statements hidden in comments or after a string literal
    ("select 1 from marts.mart_team_weekly -- x\n; attach 'x.duckdb' as x", "one statement"),
    ("select ';' from marts.mart_team_weekly; copy marts.fct_pull_requests to 'o.csv'", "one"),
    (
        "select 1 from marts.mart_team_weekly /* x */ union all select 1 from github_raw.users",
        "raw",
    ),
    # file, network and query-running table functions, scalar or in FROM
    ("select * from read_csv_auto('/etc/passwd')", "table function read_csv_auto"),
    ("select read_text('/etc/passwd')", "function read_text"),
    ("select * from read_text('/etc/passwd')", "table function read_text"),
    ("select * from query_table('github_raw.commits')", "table function query_table"),
    ("select * from query('select * from github_raw.commits')", "table function query"),
    ("select * from 'file.csv'", "file.csv is not a marts relation"),
    # metadata: information_schema, duckdb_* functions and views, SHOW/DESCRIBE/SUMMARIZE
    ("select * from information_schema.tables", "information_schema.tables is not"),
    ("select * from duckdb_tables()", "table function duckdb_tables"),
    ("select * from duckdb_settings", "duckdb_settings is not"),
    ("select current_setting('home_directory')", "current_setting"),
    ("show all tables", "SHOW/DESCRIBE/SUMMARIZE"),
    ("describe github_raw.commits", "SHOW/DESCRIBE/SUMMARIZE"),
    ("select * from (summarize github_raw.commits)", "SHOW/DESCRIBE/SUMMARIZE"),
    ("pivot github_raw.commits on sha using count(*)", "only SELECT/WITH"),
    # relations outside marts: three-part names, subqueries, CTE scoping tricks
    ("select * from memory.marts.mart_team_weekly", "memory.marts.mart_team_weekly is not"),
    ("select (select max(id) from github_raw.commits) from marts.mart_team_weekly", "raw.commits"),
    ("with users as (select * from users) select * from users", "users is not a marts"),
    ("select * from (with users as (select 1) select * from users) as t, users", "users is not"),
    ("with a as (select * from b), b as (select 1) select * from a", "b is not a marts"),
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
        "with b as (select * from marts.fct_pull_requests) select count(*) from (select * from b)",
        "with recursive t(n) as (select 1 union all select n + 1 from t where n < 3) select * from t",
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


@pytest.mark.parametrize(
    "sql",
    [
        "with users as (select * from users) select * from users",
        "select t.*, users.* from (with users as (select 1 as n) select * from users) as t, users",
    ],
)
def test_cte_scope_tricks_would_read_a_default_schema_table_and_are_rejected(sql):
    with duckdb.connect() as con:  # unguarded, the trick reads main.users
        con.execute("create table main.users as select 'planted' as secret")
        assert "planted" in str(con.execute(sql).fetchall())
    with pytest.raises(RejectedQuery, match="users is not a marts relation"):
        check_query(sql, MARTS)


def test_the_query_connection_is_read_only_without_file_access_and_times_out(
    warehouse, monkeypatch
):
    monkeypatch.setattr("pipelines.enrichment.ask.check_query", lambda sql, tables: None)
    with pytest.raises(RejectedQuery, match=r"DuckDB could not run it: .*read-only"):
        run_query(warehouse, "create table marts.x as select 1")
    with pytest.raises(RejectedQuery, match="disabled by configuration"):
        run_query(warehouse, "select * from read_csv('/etc/hosts')")
    slow = "select count(*) from marts.fct_commits a, marts.fct_commits b, marts.fct_commits c, marts.fct_commits d"
    started = time.perf_counter()
    with pytest.raises(RejectedQuery, match=r"longer than 0\.3s"):
        run_query(warehouse, slow, timeout_seconds=0.3)
    assert time.perf_counter() - started < 5


def test_secrets_in_mart_rows_and_the_question_are_redacted_before_claude_sees_them(
    warehouse, fake, claude
):
    planted = "ghp_Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa99"
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update marts.fct_pull_requests set title = ? where pull_request_id = "
            "(select min(pull_request_id) from marts.fct_pull_requests)",
            [f"deploy with {planted}"],
        )
    sql = "select title from marts.fct_pull_requests order by pull_request_id limit 3"
    fake.enqueue(Reply.output({"sql": sql, "explanation": "titles"}))
    answer = ask(f"titles? my token is {planted}", warehouse, settings=claude)
    assert any(planted in row[0] for row in answer.rows)  # shown locally, as stored
    sent = [r["raw"] for r in fake.calls()]
    assert len(sent) == 2 and all(planted not in raw for raw in sent)
    assert "[REDACTED:github-token]" in sent[1]


def test_the_long_schema_prompt_is_cached_between_the_two_ask_requests(warehouse, fake, claude):
    ask("which team had the slowest reviews?", warehouse, settings=claude)
    question, result = fake.calls()
    assert question["usage"]["cache_creation_input_tokens"] > 1024
    assert (
        result["usage"]["cache_read_input_tokens"]
        == question["usage"]["cache_creation_input_tokens"]
    )


def test_a_query_duckdb_cannot_run_is_explained_and_invalid_answers_are_usage_errors(
    warehouse, fake, claude
):
    fake.enqueue(
        Reply.output({"sql": "select nope from marts.mart_team_weekly", "explanation": ""})
    )
    answer = ask("x", warehouse, settings=claude)
    assert "DuckDB could not run it" in answer.rejected and "nope" in answer.rejected
    fake.enqueue(Reply.invalid_json())
    with pytest.raises(RuntimeError, match=r"Claude's answer is not valid: .*ask again"):
        ask("x", warehouse, settings=claude)
