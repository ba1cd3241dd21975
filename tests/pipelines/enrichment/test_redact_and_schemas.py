"""Secrets never leave the machine; diffs only on opt-in; answers are held to their schema."""

from __future__ import annotations

import pytest

from pipelines.enrichment import schemas
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
]


@pytest.mark.parametrize(("kind", "text"), SECRETS)
def test_each_secret_kind_is_replaced_by_a_marker(kind, text):
    cleaned = redact(text)
    assert f"[REDACTED:{kind}]" in cleaned
    secret = text.split()[-1] if kind == "high-entropy" else None
    assert secret is None or secret not in cleaned


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
