"""Renderers: turn an `Assessment` into text or JSON. They never decide anything."""
