"""The Alembic migrations build exactly the schema the models declare: after `upgrade` to the
head, autogenerate finds nothing to add, drop or alter (on SQLite and on PostgreSQL)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import fieldapp.models  # noqa: F401 (every model registered on the metadata)
from fieldapp.extensions import db, migrate


def test_the_migrations_have_a_single_head(app):
    script = ScriptDirectory.from_config(migrate.get_config())
    assert len(script.get_heads()) == 1, script.get_heads()


def test_autogenerate_finds_no_difference_between_models_and_migrations(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_an_upgrade_leaves_the_app_logger_enabled(app):
    # `fieldapp demo` and deploys upgrade at start-up: errors must still reach the log after it.
    from flask_migrate import upgrade

    app.logger.error("before the upgrade")  # the logger exists when the upgrade configures logging
    upgrade()
    assert not app.logger.disabled
