"""PostgreSQL only: a trigram (pg_trgm) GIN index on members_member.search_name, so that the
member search, `search_name LIKE '%term%'` for each word of 3 characters or more, fetches the
matching records through the index instead of reading every name in the reader's scope
(bench/member_search.py; docs/deploy.md says what the database role needs for the extension).

Nothing on SQLite, and nothing in the models' state: the index is an access path for one
database, not part of the schema Django compares (makemigrations stays quiet)."""

from django.db import migrations

INDEX = "members_member_search_name_trgm"


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that does nothing on other databases."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0009_history_unread_columns_unindexed"),
    ]

    operations = [
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
        # Left in place on the way back: other databases' objects may use it.
        PostgreSQLOnly("CREATE EXTENSION IF NOT EXISTS pg_trgm", migrations.RunSQL.noop),
        PostgreSQLOnly(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member "
            "USING gin (search_name gin_trgm_ops)",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
