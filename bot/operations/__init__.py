"""Operating the bot: what administrators see of its health."""
