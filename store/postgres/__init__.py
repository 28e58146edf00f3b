"""The PostgreSQL backend: a municipality's shared server (issue 11).

`url` names a database without its password, `schema` holds the versioned migrations and
applies them (`kapabel migrate`). psycopg is imported only when a PostgreSQL database is used,
so the folder backend does not pay for it.
"""
