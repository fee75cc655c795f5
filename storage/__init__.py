"""Persistence: one database connection, numbered migrations, thin repositories.

SQL lives only in this package, in one portable dialect: `db.py` runs it on SQLite
(aiosqlite, the default) or on PostgreSQL (asyncpg, `[database] url`).
"""
