"""Exercises: impersonation scenarios replayed against a channel model's decisions."""
