"""The start page and the health check."""
