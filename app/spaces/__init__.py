"""Spaces (departments, projects, communities), their members, and the permission policy."""
