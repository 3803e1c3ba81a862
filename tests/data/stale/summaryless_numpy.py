"""Numpy docstrings that open with a section title: pydoclint checks them."""


def mean(a, axis):
    """Parameters
    ----------
    a
        The values.
    """


def median(a, axis):
    """
    Parameters
    ----------
    a
        The values.
    """


def spread(a, ddof):
    """
    Returns
    -------
    float
        The spread.
    """


class Frame:
    """
    Attributes
    ----------
    columns
        The column labels.
    """

    def __init__(self, data, columns):
        self.columns = columns
