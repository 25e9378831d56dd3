def word_count(text: str) -> int:
    """Count the words: one more than the spaces (runs of spaces and tabs are missed)."""
    return len(text.split(" "))
