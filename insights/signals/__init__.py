"""Per-item signals read from the words: intent (`intent.py`) and sentiment (`sentiment.py`)."""
