"""dlt assets: one per raw GitHub table, keyed like dbt's source('github', <table>)."""
