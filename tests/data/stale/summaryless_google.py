"""Google docstrings that open with a section title, and an Attributes section alone."""


def resize(image, width, height):
    """
    Args:
      image: The image.

    Returns:
      The resized image.
    """


def crop(image, box):
    """Returns:
        The cropped image.
    """


def rotate(image, angle):
    """
    Returns:
        The rotated image.
    """


def flip(image, axis):
    """Args:
        image: The image, whose entries pydoclint reads as no entry at all.
    """


class Canvas:
    """
    Attributes:
      width: How wide.

    Examples:
      >>> Canvas(3)
    """

    def __init__(self, width, height):
        self.width = width


class Brush:
    """
    Attributes:
        size: How big, read as nothing once pydoclint has dedented it.
    """

    def __init__(self, size, color):
        self.size = size


# With a summary, an Attributes section alone makes it checked too.
class Palette:
    """Colours by name.

    Attributes:
        names: The colour names.
    """

    def __init__(self, names, default):
        self.names = names
