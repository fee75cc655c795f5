"""The sequence of meetings of a pair, reminders and feedback."""
