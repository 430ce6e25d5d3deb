"""The demo organisation: a believable municipality that shows every feature."""
