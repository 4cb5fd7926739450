"""Migration operations for tables that grow by millions of rows a year: on PostgreSQL an
index is built or dropped CONCURRENTLY, so that writes to the table go on while it is built
(a plain CREATE INDEX blocks them for as long as it reads the table: minutes nationally).
Elsewhere they are the plain operations. A migration using them sets `atomic = False`
(PostgreSQL cannot build an index concurrently inside a transaction); if one fails half-way
it leaves an INVALID index: drop it and migrate again (docs/growth.md)."""

from django.db import migrations


def _online(schema_editor) -> dict:
    if schema_editor.connection.vendor != "postgresql":
        return {}
    if schema_editor.connection.in_atomic_block:
        raise RuntimeError("Set atomic = False on a migration that builds indexes online.")
    return {"concurrently": True}


class AddIndexOnline(migrations.AddIndex):
    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index, **_online(schema_editor))

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_index(model, self.index, **_online(schema_editor))


class RemoveIndexOnline(migrations.RemoveIndex):
    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            index = from_state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
            schema_editor.remove_index(model, index, **_online(schema_editor))

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            index = to_state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
            schema_editor.add_index(model, index, **_online(schema_editor))
