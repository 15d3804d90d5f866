"""The HTTP layer: the app factory (:mod:`service.api.app`), routes, errors and middleware."""
