"""Diligence records: immutable versions captured in the field, their review, their evidence."""
