"""Similarity between submissions: token fingerprints, an inverted index in the
database, a check per submission after grading, and what staff and candidates see of it."""
