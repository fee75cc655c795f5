"""The school year: closing it, and the archive of closed years for the reports."""
