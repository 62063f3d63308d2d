"""Offices (subdelegaciones) and their sectors."""
