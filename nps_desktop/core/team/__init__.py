"""A team workspace on PostgreSQL: its schema (``pg_schema``), roles (``roles``), moving a laptop
workspace in and out (``transfer``), connection strings and secrets (``connect``). Only this package
imports psycopg; the rest of the app works on SQLite files."""
