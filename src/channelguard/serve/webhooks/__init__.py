"""Webhooks: incident events pushed to URLs in the service configuration.

config.py (the `webhooks:` and `webhook_delivery:` settings), payload.py (the
JSON and Slack bodies), clocks.py (overdue clocks become events once), worker.py
(the delivery loop the service's lifespan runs). The outbox they read is storage
(register/outbox.py); what a receiver verifies is integrations/webhooks.py.
"""
