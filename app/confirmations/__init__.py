"""Announcements that must be read: a read confirmation asked for on a blog post or a pinned
micropost; readers confirm with one click, the author sees who has and has not."""
