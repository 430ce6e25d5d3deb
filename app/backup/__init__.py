"""Backup and restore: a consistent snapshot of the database and the uploads."""
