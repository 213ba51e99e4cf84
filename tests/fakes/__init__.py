"""Fake external services (real local servers) for the tests."""
