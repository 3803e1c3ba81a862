# ruff: noqa: D101
import typing_extensions as te


class Client:
    def get(self, url, *, timeout=None):
        return url

    def __call__(self, url):
        return self.get(url)

    def __new__(cls, *args):
        return super().__new__(cls)

    def __init__(self, base_url=""):
        self.base_url = base_url

    def __enter__(self):
        return self

    @te.override
    def __eq__(self, other):
        return self is other


def connect(url):
    return Client()
