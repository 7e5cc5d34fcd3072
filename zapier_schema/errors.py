"""The one error a generator raises: the spec asks for something a Zapier app cannot express."""


class GenerationError(ValueError):
    """Names the operation and the spec part that cannot become a valid Zapier app."""
