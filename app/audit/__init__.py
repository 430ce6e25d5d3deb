"""The audit log: who did what and when, for the actions that matter to an administration."""
