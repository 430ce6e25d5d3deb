"""Search: documents, the outbox, the Whoosh index, queries and the expertise finder."""
