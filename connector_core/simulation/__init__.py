"""The trigger simulation: a scripted API timeline on loopback, pollers driving each host, and the
count of events expected, emitted, lost and duplicated (see EXPECTED.md)."""
