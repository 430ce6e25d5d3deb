"""Data protection: a person's export of their own data, and the erasure of a former
colleague. Each tool contributes through its own ``<tool>/privacy.py``; ``service`` calls
them through one explicit table."""
