"""Helpers shared by the Python test suites (browser-tests/, compat-tests/)."""
