"""Accounts: users, sign-in, roles and personal API tokens."""
