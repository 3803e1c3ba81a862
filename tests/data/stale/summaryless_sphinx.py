"""Sphinx docstrings that open with a field (PyGithub's shape), and fields that count."""


class Repository:
    def get_branch(self, branch, protected):
        """:calls: `GET /repos/{owner}/{repo}/branches/{branch}`
        :param branch: string
        :rtype: :class:`Branch`
        """

    def get_topics(self, page):
        """
        :calls: `GET /repos/{owner}/{repo}/topics`
        :rtype: list of strings
        """

    def delete(self, force):
        """:calls: `DELETE /repos/{owner}/{repo}`"""

    def get_label(self, name, page):
        """:param name: string"""

    def edit(self, title):
        """
        :param title: string
        :param body: string
        """

    def archive(self):
        """:calls: `PATCH /repos/{owner}/{repo}`"""


class Label:
    """:ivar name: the label's name"""

    def __init__(self, name, color):
        self.name = name


# With a summary, a field counts as a section only when docstring_parser makes one of it.
class Milestone:
    """A milestone.

    :attr title: read as a plain field, so the docstring is a summary only
    """

    def __init__(self, title, due):
        self.title = title


def get_due(milestone):
    """The due date.

    :rtype: datetime
    """


def get_state(milestone):
    """The state.

    :example: read as a plain field too
    """
