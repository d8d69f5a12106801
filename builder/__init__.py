"""cnn-explain: build an offline, in-browser explainer for a small CNN."""

__version__ = "0.1.0"


from .errors import ExplainError  # noqa: E402  (what explain() raises, with the message the CLI prints)


def explain(model, images, classes=None, title=None, lang="en", data=None):
    """Explain a Keras `model` (or .keras file) on `images` (an N x H x W x C array, or image files); in a notebook
    the result shows inline. See api.explain."""
    import importlib  # at call time: api imports modules that import __version__ from here

    api = importlib.import_module(".api", __name__)
    return api.explain(model, images, classes=classes, title=title, lang=lang, data=data)


__all__ = ["ExplainError", "__version__", "explain"]
