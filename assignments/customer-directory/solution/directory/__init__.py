"""Customer directory: load customer exports and answer "who lives where?"."""
