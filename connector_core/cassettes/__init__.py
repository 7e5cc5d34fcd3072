"""Recorded HTTP cassettes: case plans, recording, a replay server for any client, verification."""
