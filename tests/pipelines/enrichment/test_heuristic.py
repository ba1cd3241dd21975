"""The offline provider's rules, pinned case by case."""

from __future__ import annotations

import pytest

from pipelines.enrichment import heuristic, schemas

COMMITS = [
    # message, conventional_type, confidence, tag expected (or None), tag not expected (or None)
    ("feat(search): allow filters", "feat", 1.0, "feat", "hotfix"),
    ("fix!: drop the v1 API", "fix", 1.0, "breaking", None),
    ("fix bug in login", "fix", 0.6, "hotfix", None),
    ("Fixed bugs in export", "fix", 0.6, "hotfix", None),
    ("hotfix: restore webhook cache", "fix", 0.6, "hotfix", None),
    ("address review comments", "chore", 0.3, None, "feat"),
    ("Addressing feedback", "chore", 0.3, None, "feat"),
    ("Add retry to the client", "feat", 0.6, "feat", None),
    ("Prefix handling in paths", "chore", 0.3, None, "fix"),
    ("Refactor notification email handling", "refactor", 0.6, "refactor", None),
    ("Update README", "docs", 0.6, "docs", None),
    ("bump lodash from 4.17.20 to 4.17.21", "build", 0.6, "build", None),
    ('Revert "feat: new cache"', "revert", 0.6, "revert", None),
    ("Merge pull request #81 from acme/x\n\nhotfix: restore cache", "fix", 0.6, "merge", None),
    ("speed up the export job", "perf", 0.6, "perf", None),
    ("", "chore", 0.3, None, None),
]


@pytest.mark.parametrize(("message", "kind", "confidence", "tag", "absent"), COMMITS)
def test_commit_rules_classify_by_prefix_then_word_boundary_keywords(
    message, kind, confidence, tag, absent
):
    answer = heuristic.commit({"id": "r:1", "message": message})
    schemas.validate(answer, schemas.COMMIT_CLASSIFICATION)
    assert (answer["conventional_type"], answer["confidence"]) == (kind, confidence)
    if tag:
        assert tag in answer["tags"]
    if absent:
        assert absent not in answer["tags"]


def test_commit_entities_are_scope_issue_refs_and_paths():
    answer = heuristic.commit({"id": "r:1", "message": "fix(api): close #12 in src/api/client.py"})
    assert answer["entities"] == ["api", "#12", "src/api/client.py"]


def test_commit_sentiment_is_negative_for_breakage_and_positive_for_improvements():
    assert (
        heuristic.commit({"id": "x", "message": "fix broken build, revert hack"})["sentiment"] < 0
    )
    assert heuristic.commit({"id": "x", "message": "improve and simplify parser"})["sentiment"] > 0
    assert heuristic.commit({"id": "x", "message": "add parser"})["sentiment"] == 0


PULL_REQUESTS = [
    # title, body, additions, deletions, files, category, complexity, risk
    ("feat: add export", "Adds CSV export.", 40, 10, 3, "feature", "low", 15),
    ("fix bug in checkout", "x", 5, 2, 1, "bugfix", "low", 5),
    ("Address review feedback", "x", 5, 2, 1, "chore", "low", 5),
    ("Patch XSS in comments", "sanitize html", 30, 5, 2, "security", "low", 25),
    ("docs: explain setup", "x", 200, 20, 4, "docs", "medium", 35),
    ("Refactor billing migrations", "x", 900, 400, 30, "refactor", "high", 100),
    ("perf: cache the dashboard", "x", 60, 10, 3, "performance", "low", 15),
]


@pytest.mark.parametrize(
    ("title", "body", "adds", "dels", "files", "category", "complexity", "risk"), PULL_REQUESTS
)
def test_pull_request_rules_category_complexity_and_size_path_risk(
    title, body, adds, dels, files, category, complexity, risk
):
    payload = {
        "title": title,
        "body": body,
        "additions": adds,
        "deletions": dels,
        "changed_files": files,
    }
    answer = heuristic.pull_request(payload)
    schemas.validate(answer, schemas.PULL_REQUEST_INSIGHT)
    assert (answer["category"], answer["complexity"], answer["risk_score"]) == (
        category,
        complexity,
        risk,
    )


def test_pull_request_without_body_gets_a_description_suggestion_and_giant_one_a_split():
    answer = heuristic.pull_request(
        {"title": "feat: x", "body": "", "additions": 3000, "deletions": 0, "changed_files": 50}
    )
    assert any("description" in s for s in answer["suggestions"])
    assert any("Split" in s for s in answer["suggestions"])
    assert answer["risk_score"] == 85 and answer["estimated_review_minutes"] == 255


def test_digest_quotes_exactly_the_figures_it_was_given_and_skips_missing_ones():
    figures = {
        "prs_merged": 4,
        "active_developers": 3,
        "cycle_time_p50_hours": 12.5,
        "cycle_time_p90_hours": None,
    }
    answer = heuristic.digest({"team": "core", "week_start_date": "2026-01-05", "figures": figures})
    assert answer["quoted_figures"] == [
        {"name": "prs_merged", "value": 4},
        {"name": "active_developers", "value": 3},
        {"name": "cycle_time_p50_hours", "value": 12.5},
    ]
    assert "4 pull requests merged" in answer["digest"] and "12.5 h" in answer["digest"]
