"""Redaction of secrets from any text before it leaves the machine, and the diff filter.

Every text sent to an LLM goes through `redact()`: GitHub tokens, AWS keys, private keys,
passwords in URLs, `password=`/`secret:` assignments (JSON/YAML quoted keys too), Bearer/Basic
credentials, Slack and Anthropic keys, and generic high-entropy tokens become `[REDACTED:<kind>]`. Diff hunks in PR bodies and commit messages are
kept only when the user opts in (DEVMETRICS_LLM_SEND_DIFFS=true): `strip_diffs()`.
"""

from __future__ import annotations

import math
import re
from collections import Counter

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "private-key",
        re.compile(
            r"-----BEGIN [A-Z ]*PRIVATE KEY[A-Z ]*-----.*?"  # also PGP's "… KEY BLOCK-----"
            r"(?:-----END [A-Z ]*PRIVATE KEY[A-Z ]*-----|\Z)",
            re.DOTALL,
        ),
    ),
    ("github-token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{22,})")),
    ("aws-access-key", re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b")),
    ("anthropic-key", re.compile(r"\bsk-ant-[A-Za-z0-9_\-]{10,}")),
    ("slack-token", re.compile(r"\bxox[abposr]-[A-Za-z0-9\-]{10,}")),
    # user:password@host, up to the last "@" before the host (a password may contain "@")
    ("url-password", re.compile(r"(?<=://)[^\s:/@]+:\S*?(?=@[\w.\-]+(?:[:/?#\s]|$))")),
    ("auth-header", re.compile(r"(?i)(?:(?<=\bbearer )|(?<=\bbasic ))[A-Za-z0-9._~+/\-]{16,}=*")),
    (
        "assigned-secret",
        re.compile(
            r"(?i)(?<![A-Za-z0-9])((?:aws_)?(?:secret(?:_access)?_key|password|passwd|pwd|"
            r"api[_-]?key|access[_-]?token|auth[_-]?token|secret|token)[\"']?\s*[:=]\s*)"
            r"([\"']?)([^\s\"']{6,})\2"
        ),
    ),
]
HIGH_ENTROPY_CANDIDATE = re.compile(r"(?<![A-Za-z0-9+/_\-])[A-Za-z0-9+/_\-=]{32,}")
DIFF_BLOCK = re.compile(r"```(?:diff|patch)\n.*?(?:```|\Z)", re.DOTALL)
DIFF_HUNK = re.compile(
    r"^(?:diff --git .*|@@ [-+0-9, ]+ @@.*|(?:---|\+\+\+) [ab]/.*)$", re.MULTILINE
)


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def _looks_random(token: str) -> bool:
    """Long, mixed letters and digits, close to random: a key, not a word or a path. A 40-char
    hex string is a commit SHA and stays."""
    if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", token):
        return False
    classes = sum(bool(re.search(p, token)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))
    return classes >= 2 and _entropy(token) >= 4.0


def redact(text: str | None) -> str:
    """`text` with every secret replaced by `[REDACTED:<kind>]` (None becomes "")."""
    if not text:
        return ""
    for kind, pattern in PATTERNS:
        if kind == "assigned-secret":
            text = pattern.sub(lambda m: f"{m.group(1)}[REDACTED:secret]", text)
        else:
            text = pattern.sub(f"[REDACTED:{kind}]", text)
    return HIGH_ENTROPY_CANDIDATE.sub(
        lambda m: "[REDACTED:high-entropy]" if _looks_random(m.group(0)) else m.group(0), text
    )


def strip_diffs(text: str) -> str:
    """`text` without fenced diff blocks and unified-diff lines (headers, hunks, +/- lines)."""
    text = DIFF_BLOCK.sub("[diff omitted]", text)
    if not DIFF_HUNK.search(text):
        return text
    kept, in_hunk = [], False
    for line in text.splitlines():
        if DIFF_HUNK.match(line):
            in_hunk = True
            continue
        if in_hunk and line[:1] in {"+", "-", " "}:
            continue
        in_hunk = False
        kept.append(line)
    return "\n".join([*kept, "[diff omitted]"])


def prepare_text(text: str | None, send_diffs: bool) -> str:
    """What may be sent of a user-written text: diffs only on opt-in, secrets never."""
    text = text or ""
    return redact(text if send_diffs else strip_diffs(text))
