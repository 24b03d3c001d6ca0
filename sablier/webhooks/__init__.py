"""Signed outbound webhooks: events are written to an outbox in the caller's transaction, then
delivered by the worker with retries; receivers check the HMAC signature."""
