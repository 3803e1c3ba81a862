import typing as t

__all__ = ["Exported", "exported_function", "_exported_private"]
__all__ += ["added_later"]
__all__.extend(["extended"])


class Exported:
    def method(self):
        pass

    @t.overload
    def method2(self, x: int) -> int: ...
    def method2(self, x):
        return x


class NotExported:
    def method(self):
        pass


def exported_function():
    pass


def _exported_private():
    pass


def added_later():
    pass


def extended():
    pass


def not_listed():
    pass
