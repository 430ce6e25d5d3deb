"""Search: documents, the Whoosh index, queries and the expertise ranking.

Nothing outside this package imports Whoosh. Tools hand the engine `SearchDocument`s and
ask it queries; the engine never reads the database and never decides permissions — the
caller passes the reader's acl tokens.
"""
