"""The SQLite store: schema and migrations (sqlite-utils), sync of decks, and every query.

This package is the only place that writes SQL. The hot read path talks to the plain sqlite3
connection; sqlite-utils (about 90 ms to import) is loaded only when a migration or a schema
change needs it.
"""
