"""Data protection: a person's export of their own data, and the erasure of a former
colleague. Each tool contributes through its own ``<tool>/privacy.py``; ``service`` calls
them through one explicit table."""

# For erasure's bulk deletes and updates: the session may hold thousands of rows by then,
# and the commit that follows expires them all anyway.
BULK_WRITE = {"synchronize_session": False}
