"""estrados: an acuerdo's number is unique within its office

Revision ID: i12_estrados_number
Revises: i12_credit_life
Create Date: 2026-12-05 14:05:00

The estrados service refuses a repeated number with a Spanish message; the constraint keeps two
requests at the same moment from both getting it. Cases not yet agreed have no number (NULL),
which the constraint allows any number of times on SQLite and PostgreSQL.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'i12_estrados_number'
down_revision = 'i12_credit_life'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('estrados_cases', schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f('uq_estrados_cases_office_id_agreement_number'),
            ['office_id', 'agreement_number'])


def downgrade():
    with op.batch_alter_table('estrados_cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_estrados_cases_office_id_agreement_number'),
                                 type_='unique')
