"""Shared engines every feature uses: config, clock, permissions, the outbox, quiet hours, dates."""
