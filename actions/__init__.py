"""Rasa custom actions. Thin: they call the api over HTTP, the system of record."""
