"""administration: server-side browser sessions, forced password change, login unlock, field
credential history, sector kinds and boundaries

Revision ID: i14_admin
Revises: 3c1f9e7a2b40
Create Date: 2026-12-04 17:43:45.486234

Each field user's current credential (R-NOT-8, R-PAE-2) becomes the first row of its history,
so a renewal adds a row and nothing already stored is lost. The history is append-only.
"""
from alembic import op
import sqlalchemy as sa

from fieldapp.audit.append_only import create_append_only_guard, drop_append_only_guard


# revision identifiers, used by Alembic.
revision = 'i14_admin'
down_revision = '3c1f9e7a2b40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('auth_sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ip_address', sa.String(length=45), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_reason', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_auth_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_auth_sessions'))
    )
    with op.batch_alter_table('auth_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auth_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('user_credentials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('issuer', sa.String(length=160), nullable=False),
    sa.Column('legal_basis', sa.String(length=300), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_user_credentials_office_id_offices')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_user_credentials_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_credentials_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_credentials'))
    )
    with op.batch_alter_table('user_credentials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_credentials_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_credentials_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credential_legal_basis', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('throttle_cleared_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('charge_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_login_attempts_charge_id_login_attempts'),
                                    'login_attempts', ['charge_id'], ['id'])
        batch_op.create_unique_constraint(batch_op.f('uq_login_attempts_charge_id'), ['charge_id'])

    with op.batch_alter_table('sectors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), server_default='regular',
                                      nullable=False))
        batch_op.add_column(sa.Column('boundary', sa.JSON(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_sectors_kind'), "kind IN ('regular','special')")

    op.execute(
        "INSERT INTO user_credentials (user_id, office_id, number, issued_on, valid_until, issuer,"
        " recorded_at) SELECT id, office_id, credential_number, credential_issued_on,"
        " credential_valid_until, credential_issuer, created_at FROM users"
        " WHERE credential_number IS NOT NULL AND credential_issued_on IS NOT NULL"
        " AND credential_valid_until IS NOT NULL AND credential_issuer IS NOT NULL")
    create_append_only_guard("user_credentials")


def downgrade():
    drop_append_only_guard("user_credentials")
    with op.batch_alter_table('sectors', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_sectors_kind'), type_='check')
        batch_op.drop_column('boundary')
        batch_op.drop_column('kind')
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_login_attempts_charge_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_login_attempts_charge_id_login_attempts'),
                                 type_='foreignkey')
        batch_op.drop_column('charge_id')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('throttle_cleared_at')
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('credential_legal_basis')

    with op.batch_alter_table('user_credentials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_credentials_user_id'))
        batch_op.drop_index(batch_op.f('ix_user_credentials_office_id'))

    op.drop_table('user_credentials')
    with op.batch_alter_table('auth_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auth_sessions_user_id'))

    op.drop_table('auth_sessions')
