"""Extraction rules used by ``loaders.extract``: sentences, dates, entities, agreements, ties.

Each module is a set of pure functions over a document context (``rules.context``); the cue
words they rely on are data, in ``loaders/data/patterns_<lang>.yaml``.
"""
