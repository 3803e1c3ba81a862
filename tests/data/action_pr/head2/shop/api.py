import asyncio
from collections.abc import AsyncIterator, Iterator


class ApiError(Exception):
    pass


class Client:
    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        self.base_url = base_url
        self.timeout = timeout

    async def fetch(self, path: str) -> dict[str, str]:
        await asyncio.sleep(0)
        if not path.startswith("/"):
            raise ApiError(path)
        return {"url": self.base_url + path}

    async def stream(self, paths: list[str]) -> AsyncIterator[dict[str, str]]:
        for path in paths:
            yield await self.fetch(path)

    async def close(self) -> None:
        await asyncio.sleep(0)

    def batches(self, items: list[str], size: int = 10) -> Iterator[list[str]]:
        for start in range(0, len(items), size):
            yield items[start:start + size]


def retry(times: int):
    def decorate(fn):
        return fn
    return decorate


@retry(times=3)
async def ping(client: Client, *paths: str, **headers: str) -> bool:
    return bool(await client.fetch("/ping"))
