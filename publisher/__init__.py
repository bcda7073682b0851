"""publisher: feeds and newsletter issues from Markdown posts with front matter."""

__version__ = "0.1.0"
