"""Signed webhooks: programs told when what they follow changes."""
