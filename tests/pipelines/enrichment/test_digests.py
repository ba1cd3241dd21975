"""Weekly digests are grounded: the figures they quote are the marts' figures."""

from __future__ import annotations

import json

import duckdb
import pytest

from pipelines.enrichment import run_enrichment
from pipelines.enrichment.fake_anthropic import Reply
from pipelines.enrichment.schemas import InvalidOutput
from pipelines.enrichment.tasks import check_grounded

PAYLOAD = {
    "team": "core",
    "week_start_date": "2026-01-05",
    "figures": {"prs_merged": 4, "cycle_time_p50_hours": 12.5, "review_coverage_percent": None},
}


def test_digest_figures_equal_mart_team_weekly_and_its_text_quotes_only_them(
    warehouse, fake, claude
):
    report = run_enrichment(warehouse, claude, tasks=["digests"])
    assert report.tasks[0].tally.enriched == report.tasks[0].items > 0
    with duckdb.connect(str(warehouse)) as con:
        digests = con.execute(
            """
            select d.digest_text, d.figures, w.active_developers, w.prs_merged,
                   round(w.cycle_time_p50, 1), round(w.cycle_time_p90, 1),
                   round(w.pickup_time_p50, 1), round(100 * w.review_coverage),
                   round(100 * w.merged_without_approval_rate), w.open_prs_at_week_end,
                   w.story_points_completed
            from enrichment.weekly_digests as d
            join marts.mart_team_weekly as w using (team_id, week_start_date)
            """
        ).fetchall()
    assert len(digests) == report.tasks[0].items
    names = [
        "active_developers",
        "prs_merged",
        "cycle_time_p50_hours",
        "cycle_time_p90_hours",
        "pickup_time_p50_hours",
        "review_coverage_percent",
        "merged_without_approval_percent",
        "open_prs_at_week_end",
        "story_points_completed",
    ]
    checked = 0
    for text, figures, *mart in digests:
        quoted = json.loads(figures)
        expected = {n: float(v) for n, v in zip(names, mart, strict=True) if v is not None}
        assert {n: float(v) for n, v in quoted.items()} == expected  # every figure, no other
        assert f"{mart[1]} pull requests merged" in text
        checked += len(expected)
    assert checked > 5 * len(digests)


def test_a_digest_quoting_a_number_it_was_not_given_is_retried_then_quarantined(
    warehouse, fake, claude
):
    fake.enqueue(Reply.out_of_range(), Reply.out_of_range())
    report = run_enrichment(warehouse, claude, tasks=["digests"])
    assert report.tasks[0].tally.quarantined == 1
    with duckdb.connect(str(warehouse)) as con:
        (reason,) = con.execute("select reason from enrichment.quarantine").fetchone()
    assert "quotes 9999, which is none of the given figures" in reason


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (
            {
                "digest": "4 merged, p50 12.5 h.",
                "quoted_figures": [{"name": "prs_merged", "value": 4}],
            },
            None,
        ),
        ({"digest": "5 merged.", "quoted_figures": []}, "quotes 5"),
        ({"digest": "ok", "quoted_figures": [{"name": "prs_merged", "value": 5}]}, "prs_merged=5"),
        (
            {"digest": "ok", "quoted_figures": [{"name": "review_coverage_percent", "value": 0}]},
            "review_coverage_percent",
        ),
        ({"digest": "Week of 2026-01-05 for core: 4 merged.", "quoted_figures": []}, None),
    ],
)
def test_grounding_check_accepts_given_figures_and_the_date_only(answer, error):
    if error is None:
        check_grounded(answer, PAYLOAD)
    else:
        with pytest.raises(InvalidOutput, match=error):
            check_grounded(answer, PAYLOAD)
