"""Returns, Yields and Raises sections gone stale, sphinx style (see test_stalechecks.py)."""

# ruff: noqa
from typing import Iterator, Generator
import abc


def load(path, encoding="utf-8"):
    """Read a settings file.

    :param path: Where the file is.
    :param encoding: How its bytes are decoded.
    """
    with open(path, encoding=encoding) as handle:
        return handle.read()


def save(path, text) -> None:
    """Write a settings file.

    :param path: Where the file goes.
    :param text: What it holds.
    :returns: The path written.
    """
    with open(path, "w") as handle:
        handle.write(text)


def size(path) -> int:
    """Measure a file.

    :param path: The file.
    :returns: Its size in bytes.
    """
    import os

    return os.stat(path).st_size


def lines(path):
    """Read a file line by line.

    :param path: The file.
    """
    with open(path) as handle:
        for line in handle:
            yield line


def chunks(data, n) -> list:
    """Split data into chunks.

    :param data: What to split.
    :param n: The chunk size.
    :yields: One chunk.
    """
    return [data[i : i + n] for i in range(0, len(data), n)]


def pairs(items) -> Iterator[tuple]:
    """Pair neighbours.

    :param items: The sequence.
    :yields: Two neighbours.
    """
    for a, b in zip(items, items[1:]):
        yield a, b


def counted(limit) -> Generator[int, None, str]:
    """Count up to a limit.

    :param limit: Where to stop.
    :yields: The next number.
    """
    for i in range(limit):
        yield i
    return "done"


def parse_port(text):
    """Parse a port number.

    :param text: The digits.
    :returns: The port.
    """
    port = int(text)
    if not 0 < port < 65536:
        raise ValueError(f"no port: {text}")
    return port


def parse_host(text):
    """Parse a host name.

    :param text: The name.
    :returns: The host.
    :raises ValueError: When the name is empty.
    """
    return text.strip().lower()


def connect(host, port):
    """Open a connection.

    :param host: The host.
    :param port: The port.
    :returns: The socket.
    :raises ValueError: When the port is wrong.
    """
    import socket

    try:
        return socket.create_connection((host, port))
    except OSError as exc:
        raise ConnectionError(str(exc)) from exc


def retry(call, times):
    """Call until it succeeds.

    :param call: What to call.
    :param times: How often to try.
    :returns: What the call returned.
    :raises TimeoutError: When every try failed.
    :raises KeyError: When the call said so.
    """
    for _ in range(times):
        try:
            return call()
        except (TimeoutError, KeyError):
            raise
    raise TimeoutError("gave up")


class Store(abc.ABC):
    """A place for values."""

    @abc.abstractmethod
    def get(self, key):
        """Look a value up.

        :param key: The key.
        :returns: The value.
        :raises KeyError: When the key is unknown.
        """

    @property
    def name(self) -> str:
        """The store's name.

        :returns: What it is called.
        """
        return "store"


class Pool:
    """A connection pool.

    :param size: How many connections.
    :raises KeyError: Never, any more.
    """

    def __init__(self, size):
        if size < 1:
            raise ValueError("size")
        self.size = size


def fetch(url: str, retries: int = 3) -> bytes:
    """Fetch a URL.

    :param url: The address.
    :type url: str
    :param retries: How often to try.
    :type retries: int

    .. note:: Slow.
    """
    if retries < 0:
        raise ValueError("retries")
    return b""
