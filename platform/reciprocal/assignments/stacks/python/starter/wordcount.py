def word_count(text: str) -> int:
    """Count the words."""
    raise NotImplementedError("TODO")
