"""Hotline operator assistant (issue #6 item 2): `POST /api/v1/assist` and the `/operator` console.

* :mod:`api.assist.draft` — case fields read from what the caller said (name, phone, province,
  commune, group, topic); pure, standard library and :mod:`api.cases` only.
* :mod:`api.assist.intent` — the intent from Rasa `/model/parse`, short timeout, never raises.
* :mod:`api.assist.analysis` — eligibility checklist, poverty check, suggested questions (pure).
* :mod:`api.assist.schemas` — request and response models.

Privacy: nothing here logs the caller's text, a name or a phone number.
"""
