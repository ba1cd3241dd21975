"""A full load of a small synthetic organisation equals the emulator's ground truth, table by
table and, for spot-checked records, value by value."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from extract_helpers import TRUTH, duplicate_keys, query

from pipelines.github_emulator.model import GHOST_USER_ID


def _at(ts: int | None):
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


def _pulls(store):
    return [(repo, pr) for repo in store.repos.values() for pr in repo.pulls.values()]


@pytest.mark.parametrize("table", sorted(TRUTH))
def test_row_count_equals_the_emulators_ground_truth(clean_load, table):
    truth = clean_load.gh.store.ground_truth()
    assert clean_load.result.row_counts[table] == sum(truth[k] for k in TRUTH[table])


def test_users_are_the_ground_truth_users_plus_one_shared_ghost_row(clean_load):
    store = clean_load.gh.store
    ghost_content = any(
        pr.author_id == GHOST_USER_ID or any(r.user_id == GHOST_USER_ID for r in pr.reviews)
        for _, pr in _pulls(store)
    ) or any(i.author_id == GHOST_USER_ID for r in store.repos.values() for i in r.issues.values())
    expected = store.ground_truth()["users"] + (1 if ghost_content else 0)
    assert clean_load.result.row_counts["users"] == expected
    loaded = dict(query(clean_load.warehouse, "select id, login from github_raw.users"))
    known = {u.id: u.login for u in store.users.values()}
    assert loaded == {i: login for i, login in known.items() if i in loaded}
    assert set(known) - set(loaded) <= {GHOST_USER_ID}


def test_every_raw_table_has_unique_primary_keys(clean_load):
    assert duplicate_keys(clean_load.warehouse) == {}


def test_every_raw_table_exists_with_its_declared_columns_even_when_empty(clean_load):
    from pipelines.github.settings import TABLES

    columns = query(
        clean_load.warehouse,
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'github_raw'",
    )
    present: dict[str, set[str]] = {}
    for table, column in columns:
        present.setdefault(table, set()).add(column)
    for table, (_, _, declared) in TABLES.items():
        assert set(declared) <= present.get(table, set()), table


def test_a_clean_organisation_quarantines_nothing(clean_load):
    assert clean_load.result.row_counts["quarantine"] == 0
    assert clean_load.result.report.ok


@pytest.mark.parametrize("nested", ["commits", "reviews"])
def test_planted_giant_pull_requests_have_every_nested_item(clean_load, nested):
    """The planted PRs with more than 100 commits / reviews are paged to their end."""
    giants = [
        pr
        for _, pr in _pulls(clean_load.gh.store)
        if len(pr.commit_shas if nested == "commits" else pr.reviews) > 100
    ]
    assert giants, "the emulator always plants one giant PR of each kind"
    for pr in giants:
        if nested == "commits":
            expected = set(pr.commit_shas)
            sql = "select sha from github_raw.pull_request_commits where pull_request_id = ?"
        else:
            expected = {r.id for r in pr.reviews}
            sql = "select id from github_raw.pull_request_reviews where pull_request_id = ?"
        loaded = [value for (value,) in query(clean_load.warehouse, sql, [pr.id])]
        assert len(loaded) == len(expected) > 100
        assert set(loaded) == expected


def test_merged_pull_request_keeps_merged_at_merger_and_merge_commit(clean_load):
    store = clean_load.gh.store
    _, pr = next((r, p) for r, p in _pulls(store) if p.merged and p.merge_commit_sha)
    (row,) = query(
        clean_load.warehouse,
        "select state, merged_at, closed_at, merge_commit_sha, merged_by_id, head_sha, base_ref "
        "from github_raw.pull_requests where id = ?",
        [pr.id],
    )
    assert row == (
        "merged",
        _at(pr.merged_at),
        _at(pr.closed_at),
        pr.merge_commit_sha,
        pr.merged_by_id,
        pr.head_sha,
        pr.base_ref,
    )


def test_draft_pull_request_is_loaded_as_a_draft(clean_load):
    drafts = {p.id for _, p in _pulls(clean_load.gh.store) if p.draft}
    assert drafts
    loaded = {
        i
        for (i,) in query(
            clean_load.warehouse, "select id from github_raw.pull_requests where is_draft"
        )
    }
    assert loaded == drafts


def test_bot_author_has_its_bot_login_and_type_bot(clean_load):
    store = clean_load.gh.store
    bot_prs = {
        p.id: store.users[p.author_id].login
        for _, p in _pulls(store)
        if p.author_id and store.users[p.author_id].type == "Bot"
    }
    assert bot_prs, "the synthetic organisation has dependency-bump PRs by bots"
    rows = query(
        clean_load.warehouse,
        "select p.id, p.author_login, p.author_type, u.login, u.type from github_raw.pull_requests p "
        "join github_raw.users u on u.id = p.author_id where p.author_type = 'Bot'",
    )
    assert {r[0]: r[1] for r in rows} == bot_prs
    for _, login, kind, user_login, user_type in rows:
        assert login.endswith("[bot]") and kind == "Bot"
        assert (user_login, user_type) == (login, "Bot")


def test_commit_with_an_unlinked_email_has_no_author_user(clean_load):
    """Unlinked emails give NULL author_user_id; so do bots, as GitHub's GitActor.user is a User."""
    store = clean_load.gh.store
    commits = [
        (repo.id, c)
        for repo in store.repos.values()
        for c in repo.commits.values()
        if c.on_default_branch
    ]
    unlinked = {(rid, c.sha): c.author_email for rid, c in commits if c.author_id is None}
    by_bots = {
        (rid, c.sha): c.author_email
        for rid, c in commits
        if c.author_id is not None and store.users[c.author_id].type == "Bot"
    }
    assert unlinked, "the synthetic organisation has commits whose email maps to no user"
    rows = query(
        clean_load.warehouse,
        "select repository_id, sha, author_email, author_login "
        "from github_raw.commits where author_user_id is null",
    )
    assert {(r[0], r[1]): r[2] for r in rows} == unlinked | by_bots
    assert all(r[3] is None for r in rows)


def test_commit_values_match_the_store(clean_load):
    store = clean_load.gh.store
    repo = next(iter(store.repos.values()))
    sha = repo.default_branch_shas[len(repo.default_branch_shas) // 2]
    c = repo.commits[sha]
    (row,) = query(
        clean_load.warehouse,
        "select committed_at, authored_at, author_user_id, additions, deletions, changed_files, "
        "parent_count from github_raw.commits where repository_id = ? and sha = ?",
        [repo.id, sha],
    )
    assert row == (
        _at(c.committed_at),
        _at(c.authored_at),
        c.author_id,
        c.additions,
        c.deletions,
        c.changed_files,
        len(c.parents),
    )
