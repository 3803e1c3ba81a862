"""docbot: docstring suggestions for the definitions a pull request adds."""

__version__ = "0.1.0"
