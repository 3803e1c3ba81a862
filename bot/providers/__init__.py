"""Docstring writers behind one protocol: ``template`` (offline), ``azure``, ``openai``."""
