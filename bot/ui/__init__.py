"""Telegram presentation shared by the handlers: keyboards, callback data, menus, states, texts."""
