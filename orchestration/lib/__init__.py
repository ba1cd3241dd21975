"""Pure helpers of the Dagster wiring: translators (asset keys, groups, kinds), the dbt project
handle, and small functions (partition windows, CLI arguments) unit-tested on their own."""
