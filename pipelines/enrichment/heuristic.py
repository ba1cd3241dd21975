"""The offline provider: rules that fill the same columns as Claude, with no key and no network.

Commits: the conventional-commit prefix when there is one (confidence 1.0), else word-boundary
keyword rules (so "address" is not "add", confidence 0.6), else `chore` (0.3). Pull requests:
the category from the same rules over the title; risk from size, file count and sensitive
paths/words; complexity and review minutes from size. Digests: a fixed sentence built from the
week's figures, so every number it quotes is one it was given.
"""

from __future__ import annotations

import re
from typing import Any

CONVENTIONAL = re.compile(
    r"^(feat|fix|docs|style|refactor|perf|test|build|ci|chore|revert)(?:\(([^)]*)\))?(!)?:\s*(.*)",
    re.IGNORECASE,
)
MERGE_HEADLINE = re.compile(r"^Merge (?:pull request|branch|remote-tracking branch)\b")


def _words(*words: str) -> re.Pattern[str]:
    return re.compile(r"(?i)\b(?:" + "|".join(words) + r")\b")


HOTFIX = _words(
    "hotfix(?:es)?", "hot-fix", "hot fix", "urgent", "emergency", r"fix(?:es|ed)? bugs?"
)
SECURITY = _words(
    "security",
    "vulnerab\\w*",
    "cve-\\d+-\\d+",
    "xss",
    "csrf",
    "injection",
    "exploit",
    "secrets?",
    "auth(?:entication|orization)?",
    "permissions?",
    "sanitiz\\w*",
)
# keyword -> conventional type, first match wins (order matters: "fix" beats "add")
KEYWORD_TYPES: list[tuple[re.Pattern[str], str]] = [
    (_words("revert(?:s|ed)?"), "revert"),
    (
        _words(
            "hotfix(?:es)?",
            "hot-fix",
            "fix(?:es|ed|ing)?",
            "bugs?",
            "bugfix",
            "patch(?:es|ed)?",
            "resolves?",
            "correct(?:s|ed)?",
            "repair(?:s|ed)?",
            "crash(?:es)?",
        ),
        "fix",
    ),
    (
        _words("perf", "performance", "speed(?:s|ed)? up", "faster", "optimi[sz]e[sd]?", "cache"),
        "perf",
    ),
    (
        _words(
            "refactor\\w*",
            "clean(?:s|ed)? up",
            "cleanup",
            "simplif\\w*",
            "restructure[sd]?",
            "rename[sd]?",
            "extract(?:s|ed)?",
        ),
        "refactor",
    ),
    (_words("docs?", "documentation", "readme", "changelog", "typos?"), "docs"),
    (_words("tests?", "testing", "specs?", "coverage"), "test"),
    (_words("ci", "workflows?", "pipeline"), "ci"),
    (_words("bump(?:s|ed)?", "deps", "dependenc\\w*", "upgrade[sd]?", "build"), "build"),
    (
        _words(
            "feat",
            "features?",
            "add(?:s|ed|ing)?",
            "implement(?:s|ed)?",
            "introduce[sd]?",
            "support(?:s|ed)?",
            "allow(?:s|ed)?",
            "new",
            "enable[sd]?",
            "create[sd]?",
        ),
        "feat",
    ),
]
TYPE_CATEGORY = {
    "feat": "feature",
    "fix": "bugfix",
    "refactor": "refactor",
    "docs": "docs",
    "test": "test",
    "perf": "performance",
    "style": "chore",
    "build": "chore",
    "ci": "chore",
    "chore": "chore",
    "revert": "bugfix",
}
NEGATIVE = _words(
    "broken",
    "break(?:s|ing)?",
    "fail(?:s|ed|ing|ure)?",
    "crash(?:es)?",
    "hack\\w*",
    "revert(?:s|ed)?",
    "urgent",
    "emergency",
    "workaround",
    "regression",
)
POSITIVE = _words(
    "improve[sd]?", "clean(?:er|up)?", "faster", "simplif\\w*", "polish\\w*", "better"
)
SENSITIVE = _words(
    "migrations?",
    "schema",
    "database",
    "payments?",
    "billing",
    "auth\\w*",
    "login",
    "passwords?",
    "infra\\w*",
    "terraform",
    "deploy\\w*",
    "\\.github/workflows",
    "config(?:uration)?",
    "crypto\\w*",
)
ISSUE_REF = re.compile(r"(?<![\w/])#(\d+)\b")
PATH = re.compile(r"(?<![\w/])(?:[\w.-]+/)+[\w.-]+\.\w+")


def headline(message: str) -> str:
    """The line that says what a commit does: the first, or for a merge commit the PR title."""
    lines = [line.strip() for line in (message or "").splitlines() if line.strip()]
    if not lines:
        return ""
    if MERGE_HEADLINE.match(lines[0]) and len(lines) > 1:
        return lines[1]
    return lines[0]


def conventional_type(text: str) -> tuple[str, float, str | None, bool]:
    """(type, confidence, scope, breaking) of a commit headline or PR title."""
    match = CONVENTIONAL.match(text.strip())
    if match:
        return match.group(1).lower(), 1.0, match.group(2), bool(match.group(3))
    for pattern, kind in KEYWORD_TYPES:
        if pattern.search(text):
            return kind, 0.6, None, False
    return "chore", 0.3, None, False


def _sentiment(text: str) -> float:
    score = 0.3 * len(POSITIVE.findall(text)) - 0.3 * len(NEGATIVE.findall(text))
    return round(max(-1.0, min(1.0, score)), 2)


def _entities(text: str, scope: str | None) -> list[str]:
    found = ([scope] if scope else []) + [f"#{n}" for n in ISSUE_REF.findall(text)]
    found += PATH.findall(text)
    return list(dict.fromkeys(found))[:10]


def commit(payload: dict[str, Any]) -> dict[str, Any]:
    message = payload.get("message") or ""
    line = headline(message)
    kind, confidence, scope, breaking = conventional_type(line)
    tags = [kind]
    if HOTFIX.search(line):
        tags.append("hotfix")
    if breaking:
        tags.append("breaking")
    if MERGE_HEADLINE.match(message.strip()):
        tags.append("merge")
    if SECURITY.search(line):
        tags.append("security")
    summary = CONVENTIONAL.sub(lambda m: m.group(4), line).strip() or "(no message)"
    return {
        "id": payload["id"],
        "conventional_type": kind,
        "summary": summary[:1].upper() + summary[1:300],
        "tags": list(dict.fromkeys(tags)),
        "sentiment": _sentiment(line),
        "confidence": confidence,
        "entities": _entities(message, scope),
    }


def _risk(changed_lines: int, changed_files: int, sensitive: bool, category: str) -> int:
    steps = [(10, 5), (100, 15), (400, 35), (1000, 55)]
    risk = next((score for limit, score in steps if changed_lines <= limit), 75)
    risk += 10 if changed_files > 20 else 0
    risk += 15 if sensitive else 0
    risk += 10 if category == "security" else 0
    return min(100, risk)


def pull_request(payload: dict[str, Any]) -> dict[str, Any]:
    title, body = payload.get("title") or "", payload.get("body") or ""
    text = f"{title}\n{body}"
    kind, _, _, _ = conventional_type(title)
    category = "security" if SECURITY.search(title) else TYPE_CATEGORY[kind]
    changed = (payload.get("additions") or 0) + (payload.get("deletions") or 0)
    files = payload.get("changed_files") or 0
    sensitive = sorted({m.lower() for m in SENSITIVE.findall(text)})
    concerns = sorted({m.lower() for m in SECURITY.findall(text)})
    complexity = (
        "high"
        if changed > 500 or files > 20
        else "low"
        if changed < 100 and files <= 5
        else "medium"
    )
    suggestions = []
    if changed > 1000:
        suggestions.append("Split this pull request into smaller ones; it is hard to review.")
    if not body.strip():
        suggestions.append("Add a description: what changes, why, and how it was tested.")
    bugs = (
        ["Large change: regressions are likely to slip through review."] if changed > 1000 else []
    )
    return {
        "category": category,
        "risk_score": _risk(changed, files, bool(sensitive), category),
        "complexity": complexity,
        "summary": (title.strip() or "(untitled)")[:300],
        "potential_bugs": bugs,
        "security_concerns": [
            f"Touches {term}: check it with a security reviewer." for term in concerns
        ][:10],
        "suggestions": suggestions,
        "estimated_review_minutes": max(5, min(480, 5 + changed // 20 + files * 2)),
    }


def digest(payload: dict[str, Any]) -> dict[str, Any]:
    """One sentence per available figure; quotes exactly the figures given."""
    figures = payload["figures"]
    team, week = payload["team"], payload["week_start_date"]
    parts = [f"Week of {week} for {team}:"]
    templates = [
        ("prs_merged", "{} pull requests merged"),
        ("active_developers", "by {} active developers"),
        ("cycle_time_p50_hours", "median cycle time {} h"),
        ("cycle_time_p90_hours", "p90 {} h"),
        ("pickup_time_p50_hours", "median pickup {} h"),
        ("review_coverage_percent", "{}% reviewed"),
        ("merged_without_approval_percent", "{}% merged without approval"),
        ("open_prs_at_week_end", "{} open at week end"),
        ("story_points_completed", "{} story points completed"),
    ]
    quoted, phrases = [], []
    for name, template in templates:
        if figures.get(name) is not None:
            phrases.append(template.format(_number(figures[name])))
            quoted.append({"name": name, "value": figures[name]})
    parts.append(", ".join(phrases) + "." if phrases else "no activity.")
    return {"digest": " ".join(parts), "quoted_figures": quoted}


def _number(value: float) -> str:
    return f"{value:g}"
