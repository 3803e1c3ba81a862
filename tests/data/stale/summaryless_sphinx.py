"""Sphinx docstrings that open with a field (PyGithub's shape): pydoclint checks them."""


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
