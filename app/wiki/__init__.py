"""The knowledge wiki: pages in spaces or the global wiki, revisions, diffs and merges,
[[links]] and backlinks, templates, attachments, freshness and a trash."""
