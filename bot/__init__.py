"""nastavnik-bot: a Telegram bot that runs school mentoring programs."""

__version__ = "0.1.0"
