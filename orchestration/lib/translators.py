"""Asset keys, groups, descriptions and kinds for the dlt and dbt assets.

The one rule that makes the lineage graph connected: a dlt resource's asset key is the key
dagster-dbt gives the matching `source('github', <table>)`, i.e. AssetKey(["github", <table>]).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator
from dagster_dlt import DagsterDltTranslator
from dagster_dlt.translator import DltResourceTranslatorData

from pipelines.github.settings import DATASET_NAME, TABLES

RAW_GROUP = "github_raw"
DBT_GROUPS = ("staging", "intermediate", "marts")


def raw_table_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["github", table])


def raw_table_description(table: str) -> str:
    primary_key, merge_key, _ = TABLES[table]
    merge = f", children replaced per {merge_key}" if merge_key else ""
    return (
        f"Raw GitHub `{table}` loaded by dlt into {DATASET_NAME}.{table} "
        f"(merged on {', '.join(primary_key)}{merge}). Read by dbt as source('github', '{table}')."
    )


class GitHubDltTranslator(DagsterDltTranslator):
    """Each raw-table transformer of the GitHub source becomes AssetKey(["github", table]) in
    group github_raw, with no upstream asset: the API pass (`activity`) is not loaded itself and
    is not an asset."""

    def get_asset_spec(self, data: DltResourceTranslatorData) -> dg.AssetSpec:
        spec = super().get_asset_spec(data)
        table = data.resource.name
        return spec.replace_attributes(
            key=raw_table_key(table),
            deps=[],
            group_name=RAW_GROUP,
            description=raw_table_description(table),
            kinds={"dlt", "duckdb", "github"},
        )


class DevMetricsDbtTranslator(DagsterDbtTranslator):
    """A model or seed is AssetKey([<name>]) (the custom schemas of dbt_project.yml stay out of
    the key), a source keeps dagster-dbt's [<source>, <table>]; groups follow the project's
    folders (staging, intermediate, marts; seeds count as staging: reference data the models read)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        return dg.AssetKey([dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        folder = dbt_resource_props["fqn"][1] if len(dbt_resource_props["fqn"]) > 2 else ""
        return folder if folder in DBT_GROUPS else "staging"

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        description = dbt_resource_props.get("description") or ""
        kind = dbt_resource_props["resource_type"]
        return description or f"dbt {kind} {dbt_resource_props['name']}"
