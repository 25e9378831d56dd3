def word_count(text: str) -> int:
    """Count the words."""
    return len(text.split())
