"""The extractor's GraphQL is GitHub's: every document validates against GitHub's published schema
(`@octokit/graphql-schema`), and every document actually sent during an extraction is one of them."""

from __future__ import annotations

import pytest
from extract_helpers import extract
from graphql import parse, validate
from graphql.execution.values import get_variable_values
from graphql.language import OperationDefinitionNode

from pipelines.github import queries
from pipelines.github.client import GitHubClient
from pipelines.github_emulator.github_schema import load_github_schema


@pytest.fixture(scope="module")
def github_schema():
    return load_github_schema()


@pytest.mark.parametrize("name", sorted(queries.ALL_DOCUMENTS))
def test_document_validates_against_githubs_published_schema(github_schema, name):
    errors = validate(github_schema, parse(queries.ALL_DOCUMENTS[name]))
    assert not errors, f"{name}: {[e.message for e in errors]}"


@pytest.mark.parametrize("count", [1, 2, 100])
def test_repositories_by_name_validates_for_any_batch_size(github_schema, count):
    assert not validate(github_schema, parse(queries.repositories_by_name(count)))


@pytest.fixture
def sent_documents(monkeypatch):
    """Every (query, variables) the client sends while the fixture is active."""
    sent: list[tuple[str, dict]] = []
    original = GitHubClient.graphql_partial

    def recording(self, query, variables=None):
        sent.append((query, dict(variables or {})))
        return original(self, query, variables)

    monkeypatch.setattr(GitHubClient, "graphql_partial", recording)
    return sent


def test_every_document_sent_during_an_extraction_is_known_and_valid_with_its_variables(
    make_emulator, tmp_path, sent_documents, github_schema
):
    """A real extraction (org listing, giant PRs' nested pages, named repositories) sends only
    documents from ALL_DOCUMENTS (or a `repositories_by_name` batch), each valid against
    GitHub's schema together with the variables it was sent with."""
    gh = make_emulator(scale=0.1, seed=7)
    extract(gh, tmp_path / "org.duckdb")
    names = [f"{gh.store.org.login}/{name}" for name in sorted(gh.store.repos)]
    extract(gh, tmp_path / "named.duckdb", repositories=names)

    known = set(queries.ALL_DOCUMENTS.values()) | {
        queries.repositories_by_name(n) for n in range(1, 101)
    }
    distinct = {query for query, _ in sent_documents}
    unknown = [q[:200] for q in distinct if q not in known]
    assert not unknown, f"documents sent but not in queries.ALL_DOCUMENTS: {unknown}"
    # the nested-list pages of the planted giant PRs were really exercised
    assert queries.nested_page("pull_request", "reviews") in distinct
    assert queries.nested_page("pull_request", "commits") in distinct
    assert queries.repositories_by_name(len(names)) in distinct

    for query, variables in sent_documents:
        document = parse(query)
        assert not validate(github_schema, document)
        operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
        coerced = get_variable_values(github_schema, operation.variable_definitions, variables)
        assert not isinstance(coerced, list), (
            f"variables {variables} invalid for {operation.name.value}: "
            f"{[e.message for e in coerced]}"
        )
