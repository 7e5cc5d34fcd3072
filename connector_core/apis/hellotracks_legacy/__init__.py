"""Hellotracks' legacy /api (POST-everything, a status code in every answer): its spec, recording cases
and sandbox personality."""
