"""The end of a program: completion by both sides, early endings (ТК РФ ст. 351.8),
agreed changes, and the monitoring surveys of growth."""
