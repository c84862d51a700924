"""The dialogue state and its rules (see dialogue.state)."""
