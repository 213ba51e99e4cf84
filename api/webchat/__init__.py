"""What the web chat page (`/`) needs besides `POST /api/v1/chat` (issue 14, items 3 and 5).

* :mod:`api.webchat.welcome` — the first screen: the bot's own greeting (`utter_greet` of
  domain.yml, the file Rasa is trained on, so the page never hard-codes one), one line on privacy
  and the national legal-aid hotline (knowledge/data/legal_aid_centres.yml, with its source).
* :mod:`api.webchat.history` — the messages of the cookie's conversation with their times, read
  from Rasa's tracker, so that a reload (even in the middle of a form) shows where the person is.
* :mod:`api.webchat.schemas` — the pydantic answers of both.
"""
