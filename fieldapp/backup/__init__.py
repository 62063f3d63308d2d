"""Backup and restore of a whole install: database and media folder in one verified archive."""
