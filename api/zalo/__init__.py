"""Zalo Official Account channel: signature check, event models, reply formatting, send client."""
