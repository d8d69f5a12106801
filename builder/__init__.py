"""cnn-explain: build an offline, in-browser explainer for a small CNN."""

__version__ = "0.1.0"
