"""The coder panel: a static page (HTML, CSS, ES modules) served by the service itself."""

from service.panel.routes import CONTENT_SECURITY_POLICY, router

__all__ = ["CONTENT_SECURITY_POLICY", "router"]
