"""cnn-explain: build an offline, in-browser explainer for a small CNN."""

__version__ = "0.1.0"


from .errors import ExplainError  # noqa: E402  (what explain() raises, with the message the CLI prints)


def explain(model, images, classes=None, title=None, lang="en", data=None):
    """Explain a Keras `model` (or .keras file) on `images` (an N x H x W x C array, or image files); in a notebook
    the result shows inline. See api.explain."""
    from .api import explain as build_explainer

    return build_explainer(model, images, classes=classes, title=title, lang=lang, data=data)


__all__ = ["ExplainError", "__version__", "explain"]
