"""The version of Kollegium (read by the package metadata in setup.cfg)."""

__version__ = "0.2.0"
