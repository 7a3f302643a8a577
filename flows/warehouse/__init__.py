"""The warehouse: the one owner of the build database (connections, landing DDL, batches, load, dbt build)
and of publishing the marts to the serving file."""
