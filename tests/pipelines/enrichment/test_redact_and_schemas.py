"""Secrets never leave the machine; diffs only on opt-in; answers are held to their schema."""

from __future__ import annotations

import json
from dataclasses import replace

import anthropic
import duckdb
import httpx
import pytest

from pipelines.enrichment import schemas
from pipelines.enrichment.claude import AnthropicFailed, Claude
from pipelines.enrichment.pricing import Budget
from pipelines.enrichment.redact import prepare_text, redact

SECRETS = [
    ("github-token", "use ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 to push"),
    ("github-token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"),
    ("aws-access-key", "key AKIAIOSFODNN7EXAMPLE here"),
    ("private-key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----"),
    ("url-password", "postgres://admin:hunter2@db.internal:5432/app"),
    ("secret", "password = 'correct-horse-battery'"),
    ("secret", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("anthropic-key", "sk-ant-api03-abcdefghijklmnop"),
    ("slack-token", "xoxb-1234567890-abcdefghij"),
    ("high-entropy", "token: none, value aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z"),
    (
        "private-key",
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----",
    ),
    ("url-password", "clone https://bob:p@ss@git.internal/app.git"),
    ("secret", '{"password": "hunter22"}'),
    ("auth-header", "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9x'"),
]
LEAKS = {"url-password": "ss@git", "secret": "hunter22", "auth-header": "eyJhbGciOiJIUzI1NiJ9x"}


@pytest.mark.parametrize(("kind", "text"), SECRETS)
def test_each_secret_kind_is_replaced_by_a_marker(kind, text):
    cleaned = redact(text)
    assert f"[REDACTED:{kind}]" in cleaned
    secret = text.split()[-1] if kind == "high-entropy" else LEAKS.get(kind)
    assert secret is None or secret not in cleaned
    assert "lQOYBF" not in cleaned and "KEY BLOCK" not in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "merge 0123456789abcdef0123456789abcdef01234567 into main",
        "see src/components/NotificationSettingsPanel.tsx",
        "https://github.com/acme/api/pull/12",
        "address review comments",
    ],
)
def test_shas_paths_urls_and_words_are_kept(text):
    assert redact(text) == text


def test_diffs_are_dropped_unless_the_user_opts_in():
    body = "Fixes the parser.\n```diff\n-old\n+new\n```\nThanks"
    assert "+new" not in prepare_text(body, send_diffs=False)
    assert "[diff omitted]" in prepare_text(body, send_diffs=False)
    assert "+new" in prepare_text(body, send_diffs=True)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_fail_validation_although_json_loads_accepts_them(value):
    answer = json.loads(
        f'{{"id": "r:1", "conventional_type": "fix", "summary": "s", "tags": [], '
        f'"sentiment": {value}, "confidence": 0.5, "entities": []}}'
    )
    with pytest.raises(schemas.InvalidOutput, match="sentiment: expected number"):
        schemas.validate(answer, schemas.COMMIT_CLASSIFICATION)


def test_api_error_messages_are_redacted_before_they_reach_logs_or_reports(claude):
    key = "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3"
    response = httpx.Response(400, request=httpx.Request("POST", "http://127.0.0.1/v1/messages"))

    def refuse():
        raise anthropic.BadRequestError(
            f"bad header x-api-key: {key}", response=response, body=None
        )

    client = Claude(claude, Budget(1.0))
    with pytest.raises(AnthropicFailed, match="HTTP 400") as failed:
        client.call("pull_requests 1", refuse)
    assert key not in str(failed.value) and "[REDACTED:" in str(failed.value)
    assert key not in repr(claude) and key not in repr(replace(claude, api_key=key))


def test_wire_schema_moves_limits_into_descriptions_and_validate_enforces_them():
    wire = schemas.wire_schema(schemas.PULL_REQUEST_INSIGHT)
    risk = wire["properties"]["risk_score"]
    assert "minimum" not in risk and "maximum" not in risk and "at most 100" in risk["description"]
    good = {
        "category": "feature",
        "risk_score": 10,
        "complexity": "low",
        "summary": "s",
        "potential_bugs": [],
        "security_concerns": [],
        "suggestions": [],
        "estimated_review_minutes": 5,
    }
    schemas.validate(good, schemas.PULL_REQUEST_INSIGHT)
    for change, message in [
        ({"risk_score": 101}, "above the maximum"),
        ({"category": "epic"}, "is not one of"),
        ({"risk_score": 1.5}, "expected integer"),
        ({"extra": 1}, "unexpected extra"),
    ]:
        with pytest.raises(schemas.InvalidOutput, match=message):
            schemas.validate({**good, **change}, schemas.PULL_REQUEST_INSIGHT)


@pytest.mark.parametrize(
    ("table", "columns", "values"),
    [
        ("pull_request_insights", "pull_request_id, risk_score", "1, 101"),
        ("pull_request_insights", "pull_request_id, estimated_review_minutes", "1, 0"),
        ("pull_request_insights", "pull_request_id, complexity", "1, 'epic'"),
        ("commit_insights", "commit_id, sentiment", "'r:1', 'NaN'::double"),
        ("commit_insights", "commit_id, confidence", "'r:1', 1.5"),
    ],
)
def test_the_enrichment_tables_refuse_out_of_range_values(warehouse, table, columns, values):
    with (
        duckdb.connect(str(warehouse)) as con,
        pytest.raises(duckdb.ConstraintException, match="CHECK constraint"),
    ):
        con.execute(f"insert into enrichment.{table} ({columns}) values ({values})")
