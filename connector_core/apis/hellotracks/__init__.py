"""Hellotracks, the field-service dispatch API: its spec, recording cases and sandbox personality."""
