"""Backup and restore, the Docker image and its entrypoint, /salud."""
