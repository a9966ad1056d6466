"""The local web page (``collcheck serve``): see checker.web.app."""
