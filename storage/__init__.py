"""Persistence: one database connection, numbered migrations, thin repositories.

SQL lives only in this package. Keep it portable (PostgreSQL is planned for regional
deployments): only `db.Database.open` knows it talks to SQLite.
"""
