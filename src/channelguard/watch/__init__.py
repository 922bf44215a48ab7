"""Watching for drift: the traffic and decisions a register stored (traffic.py,
stats.py, drift.py, alerts.py, run.py) and, from the exercise room, the live
agent's behaviour (exercise/canary.py)."""
