"""A knowledge base of documented answers, built from vendor FAQ documents."""

__version__ = "0.1.0"
