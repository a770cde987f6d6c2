"""Dialogs opened from the screens."""
