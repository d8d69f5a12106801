"""Errors a user can act on: the CLI prints their message without a traceback."""


class ExplainError(Exception):
    """Base class of errors caused by the user's input (data, model, options)."""


class DataError(ExplainError):
    """The dataset is missing, unreadable or unsuitable."""


class ModelError(ExplainError):
    """The model cannot be loaded or uses something the explainer does not support."""


class DeployError(ExplainError):
    """The site cannot be published (no built site, no git repository or remote, push rejected)."""
