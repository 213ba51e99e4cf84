"""Zalo Official Account channel: signature check, event models, reply formatting, send client,
the persisted inbox/outbox (`store`, `models`) and the background worker (`worker`).

The webhook is `api/routes/zalo.py`; see `api/zalo/README.md` for settings and operations."""
