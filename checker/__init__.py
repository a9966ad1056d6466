"""collcheck: check debt-collection contact against the law.

The package is called ``checker``; the distribution and the command are ``collcheck``.
"""

__version__ = "0.1.0"
