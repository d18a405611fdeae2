"""Detectors for lexical checks that need a little logic beyond a pattern."""
