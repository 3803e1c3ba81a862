"""Returns, Yields and Raises sections gone stale, google style (see test_stalechecks.py)."""

# ruff: noqa
from typing import Iterator, Generator
import abc


def load(path, encoding="utf-8"):
    """Read a settings file.

    Args:
        path: Where the file is.
        encoding: How its bytes are decoded.

    Returns:
        The load.
    """
    with open(path, encoding=encoding) as handle:
        return handle.read()


def save(path, text) -> None:
    """Write a settings file.

    Args:
        path: Where the file goes.
        text: What it holds.

    Returns:
        str: The path written.
    """
    with open(path, "w") as handle:
        handle.write(text)


def size(path) -> int:
    """Measure a file.

    Args:
        path: The file.

    Returns:
        int: Its size in bytes.
    """
    import os

    return os.stat(path).st_size


def lines(path):
    """Read a file line by line.

    Args:
        path: The file.
    """
    with open(path) as handle:
        for line in handle:
            yield line


def chunks(data, n) -> list:
    """Split data into chunks.

    Args:
        data: What to split.
        n: The chunk size.

    Returns:
        The chunks.
    """
    return [data[i : i + n] for i in range(0, len(data), n)]


def pairs(items) -> Iterator[tuple]:
    """Pair neighbours.

    Args:
        items: The sequence.

    Yields:
        tuple: Two neighbours.
    """
    for a, b in zip(items, items[1:]):
        yield a, b


def counted(limit) -> Generator[int, None, str]:
    """Count up to a limit.

    Args:
        limit: Where to stop.

    Returns:
        The counted.

    Yields:
        int: The next number.
    """
    for i in range(limit):
        yield i
    return "done"


def parse_port(text):
    """Parse a port number.

    Args:
        text: The digits.

    Returns:
        int: The port.

    Raises:
        ValueError: If a value is invalid.
    """
    port = int(text)
    if not 0 < port < 65536:
        raise ValueError(f"no port: {text}")
    return port


def parse_host(text):
    """Parse a host name.

    Args:
        text: The name.

    Returns:
        str: The host.
    """
    return text.strip().lower()


def connect(host, port):
    """Open a connection.

    Args:
        host: The host.
        port: The port.

    Returns:
        object: The socket.

    Raises:
        ConnectionError: On a connection error.
    """
    import socket

    try:
        return socket.create_connection((host, port))
    except OSError as exc:
        raise ConnectionError(str(exc)) from exc


def retry(call, times):
    """Call until it succeeds.

    Args:
        call: What to call.
        times: How often to try.

    Returns:
        object: What the call returned.

    Raises:
        TimeoutError: When every try failed.
        KeyError: When the call said so.
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

        Args:
            key: The key.
        """

    @property
    def name(self) -> str:
        """The store's name.

        Returns:
            str: What it is called.
        """
        return "store"


class Pool:
    """A connection pool.

    Args:
        size: How many connections.

    Raises:
        ValueError: If a value is invalid.
    """

    def __init__(self, size):
        if size < 1:
            raise ValueError("size")
        self.size = size


def fetch(url: str, retries: int = 3) -> bytes:
    """Fetch a URL.

    Args:
        url (str): The address.
        retries (int): How often to try.

    Returns:
        bytes: The fetch.

    Raises:
        ValueError: If a value is invalid.

    Examples:
        >>> fetch("http://localhost")
        b''
    """
    if retries < 0:
        raise ValueError("retries")
    return b""
