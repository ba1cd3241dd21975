"""The asset keys the checks attach to (the project's key contract): raw tables
AssetKey(["github", table]), dbt models dagster-dbt's default AssetKey([model])."""

from __future__ import annotations

import dagster as dg

from pipelines.github.settings import TABLES
from pipelines.serving import published_models

RAW_TABLE_KEYS = [dg.AssetKey(["github", table]) for table in TABLES]
MART_KEYS = [dg.AssetKey([model]) for model in published_models()]
# Facts and dimensions only grow (rows are merged, never deleted); aggregates may shrink.
FACT_AND_DIMENSION_KEYS = [key for key in MART_KEYS if key.path[0].startswith(("fct_", "dim_"))]
