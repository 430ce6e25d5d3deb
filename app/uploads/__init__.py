"""A small, tool-neutral store for uploaded files.

Any tool (wiki attachments, blog covers, microblog images, profile pictures) keeps its own
link table to ``Upload`` and uses these three calls:

- ``store.save_upload(actor, file)`` checks size (``UPLOAD_MAX_BYTES``), type (the
  ``UPLOAD_ALLOWED_TYPES`` allow-list of file name extensions) and content (images must open
  with Pillow, PDFs and office files must look like them), writes the file once under
  ``UPLOAD_DIR`` by its SHA-256 and returns an ``Upload`` row (added to the session, not
  committed: the caller commits it with its link row). Raises ``TooLarge`` or ``Invalid``.
- ``store.send_upload(upload, inline=…)`` answers a download safely: Content-Disposition with
  an RFC 5987 file name, ``X-Content-Type-Options: nosniff``, a sandboxing CSP, and a content
  type that is never HTML or SVG. Only images are ever shown inline.
- ``Upload.is_image`` tells a template whether to show an ``<img>``.

Who may download is the tool's business: check read permission on the owning object
before calling ``send_upload`` (and answer 404 otherwise).
"""
