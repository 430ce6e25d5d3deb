"""Insights for administrators and space owners: counts only, never who read what."""
