#!/usr/bin/env python3
# -*- coding: utf-8 -*-
from __future__ import annotations

import functools


def plain(a, b=1, *args, c, **kwargs):
    return a + b


@functools.lru_cache(maxsize=None)
@staticmethod
def decorated(x: int) -> int:  # a comment after the colon
    # a comment opens the body
    return x


async def fetch(
    url: str,
    timeout: float = 3.0,
    on_done=lambda result: None,
    table: dict[str, int] = {"a:b": 1},
) -> dict[str, "int"]:
    await something()
    return {}


def one_liner(x): return x * 2


def semicolons(): a = 1; b = 2; return a + b


def spread(): return (1,
                      2)


def commented(x): return x  # noqa: E704


class Empty: pass


class Outer(Base, metaclass=Meta):
    attribute = 1

    class Inner:
        def method(self, y: "str" = ":") -> None:
            print(y)

    def gen(self, n):
        yield from range(n)

    def tricky(self, s='"""', t="\\"): return s + t


def outer():
    def inner(): pass
    return inner
