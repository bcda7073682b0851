"""publisher: feeds and newsletter issues from Markdown posts with front matter."""

__version__ = "0.1.0"
CONFIG_NAME = "publisher.toml"  # here, not in config.py: `publish --version` and a run that
# changed nothing (feeds/unchanged.py) need it without importing the config's schema
