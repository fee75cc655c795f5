"""Personal data (152-FZ): consent, a person's own data, withdrawal and erasure."""
