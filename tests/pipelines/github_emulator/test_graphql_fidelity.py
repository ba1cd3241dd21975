"""The emulator's GraphQL schema is a faithful subset of GitHub's published schema.

Every type, field, argument, enum value, union member and interface of schema.graphql must exist
in `@octokit/graphql-schema` (fetched and cached by github_schema.py) with an identical type
string; the emulator may only drop arguments, fields, enum values and union members. When the
published schema cannot be fetched, the tests fail with GitHubSchemaUnavailable's explanation.
"""

from __future__ import annotations

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
)

from pipelines.github_emulator.github_schema import GitHubSchemaUnavailable, load_github_schema
from pipelines.github_emulator.graphql_api import emulator_schema

BUILT_IN_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}


@pytest.fixture(scope="module")
def github() -> GraphQLSchema:
    try:
        return load_github_schema()
    except GitHubSchemaUnavailable as error:
        pytest.fail(str(error), pytrace=False)


def _own_types():
    return [
        (name, t)
        for name, t in emulator_schema().type_map.items()
        if not name.startswith("__") and name not in BUILT_IN_SCALARS
    ]


def _mismatches(name, ours, theirs) -> list[str]:
    if type(ours) is not type(theirs):
        return [f"{name} is a {type(ours).__name__} here but a {type(theirs).__name__} on GitHub"]
    problems: list[str] = []
    if isinstance(ours, GraphQLObjectType | GraphQLInterfaceType):
        github_interfaces = {i.name for i in theirs.interfaces}
        problems += [
            f"{name} implements {i.name}, GitHub's does not"
            for i in ours.interfaces
            if i.name not in github_interfaces
        ]
        for field_name, field in ours.fields.items():
            github_field = theirs.fields.get(field_name)
            if github_field is None:
                problems.append(f"{name}.{field_name} does not exist on GitHub")
                continue
            if str(field.type) != str(github_field.type):
                problems.append(
                    f"{name}.{field_name}: {field.type} here, {github_field.type} on GitHub"
                )
            for arg_name, arg in field.args.items():
                github_arg = github_field.args.get(arg_name)
                where = f"{name}.{field_name}({arg_name})"
                if github_arg is None:
                    problems.append(f"{where} does not exist on GitHub")
                elif str(arg.type) != str(github_arg.type):
                    problems.append(f"{where}: {arg.type} here, {github_arg.type} on GitHub")
                elif arg.default_value != github_arg.default_value:
                    problems.append(
                        f"{where}: default {arg.default_value!r} here, "
                        f"{github_arg.default_value!r} on GitHub"
                    )
            problems += [
                f"{name}.{field_name} lacks GitHub's required argument {a}"
                for a, github_arg in github_field.args.items()
                if a not in field.args
                and str(github_arg.type).endswith("!")
                and github_arg.default_value is Undefined
            ]
    elif isinstance(ours, GraphQLUnionType):
        github_members = {m.name for m in theirs.types}
        problems += [
            f"{name} member {m.name} is not a member on GitHub"
            for m in ours.types
            if m.name not in github_members
        ]
    elif isinstance(ours, GraphQLEnumType):
        problems += [
            f"{name}.{v} is not a GitHub value" for v in ours.values if v not in theirs.values
        ]
    elif isinstance(ours, GraphQLInputObjectType):
        for field_name, field in ours.fields.items():
            github_field = theirs.fields.get(field_name)
            if github_field is None or str(field.type) != str(github_field.type):
                problems.append(f"input {name}.{field_name} differs from GitHub's")
        problems += [
            f"input {name} lacks GitHub's required field {f}"
            for f, github_field in theirs.fields.items()
            if f not in ours.fields and str(github_field.type).endswith("!")
        ]
    elif not isinstance(ours, GraphQLScalarType):
        problems.append(f"{name}: unexpected kind {type(ours).__name__}")
    return problems


def test_every_emulator_type_exists_on_github_with_the_same_kind(github):
    missing = [name for name, _ in _own_types() if github.get_type(name) is None]
    assert missing == []


def test_every_field_argument_enum_value_union_member_and_interface_matches_github(github):
    problems = [
        problem
        for name, ours in _own_types()
        if github.get_type(name) is not None
        for problem in _mismatches(name, ours, github.get_type(name))
    ]
    assert problems == []


def test_the_subset_covers_what_the_extractor_reads():
    schema = emulator_schema()
    expected = {
        "Query": {"organization", "repository", "user", "node", "rateLimit"},
        "RateLimit": {"cost", "limit", "nodeCount", "remaining", "resetAt", "used"},
        "Repository": {"pullRequests", "issues", "defaultBranchRef", "deployments", "pushedAt"},
        "Commit": {"history", "additions", "deletions", "changedFilesIfAvailable", "author"},
        "PullRequest": {"reviews", "reviewRequests", "timelineItems", "commits", "comments"},
        "Issue": {"labels", "milestone", "timelineItems", "stateReason", "comments"},
    }
    for type_name, fields in expected.items():
        assert fields <= set(schema.type_map[type_name].fields), type_name
    timeline = {t.name for t in schema.type_map["PullRequestTimelineItems"].types}
    assert {
        "ReadyForReviewEvent",
        "ReviewRequestedEvent",
        "ReviewRequestRemovedEvent",
        "ClosedEvent",
        "ReopenedEvent",
        "MergedEvent",
        "HeadRefForcePushedEvent",
        "ConvertToDraftEvent",
        "LabeledEvent",
        "UnlabeledEvent",
        "IssueComment",
        "PullRequestReview",
        "PullRequestCommit",
    } <= timeline
    history_args = set(schema.type_map["Commit"].fields["history"].args)
    assert {"first", "after", "since", "until", "author"} <= history_args
    assert "since" in schema.type_map["IssueFilters"].fields


def test_unreachable_registry_fails_with_a_message_that_says_how_to_fix_it(tmp_path, monkeypatch):
    from pipelines.github_emulator import github_schema

    def offline(url):
        raise OSError("network unreachable")

    monkeypatch.setenv("DEVMETRICS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(github_schema, "_get", offline)
    with pytest.raises(GitHubSchemaUnavailable) as raised:
        github_schema.fetch_github_schema()
    message = str(raised.value)
    assert "registry.npmjs.org" in message
    assert str(tmp_path / "github-graphql-schema" / "15.26.1" / "schema.graphql") in message
