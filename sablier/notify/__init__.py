"""Notifications where people already are: in-app (live), e-mail, Matrix, Slack-compatible webhooks.

Actions write rows in the caller's transaction (an outbox); the worker sends them, immediately
or as a digest, with retries; nothing is sent inline."""
