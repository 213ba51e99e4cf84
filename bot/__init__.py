"""Rasa side of the assistant: training data, the Vietnamese tokenizer, the production tracker store."""

from bot import speedups

speedups.install()
