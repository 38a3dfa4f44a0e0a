"""The one exception type for problems a user can cause."""


class ArticleError(ValueError):
    """The input cannot be analysed; the message says why in words a person understands."""
