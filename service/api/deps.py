"""Typed dependencies for routes: what the lifespan loaded, handed over per request.

The lifespan (``service.api.app``) stores the loaded objects on ``app.state``; routes ask for
them through these aliases and never reach into ``app.state`` themselves.
"""

from typing import Annotated

from fastapi import Depends, Request

from service.catalogue import Catalogue
from service.config import Settings
from service.suggestions import Suggester


def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def get_catalogue(request: Request) -> Catalogue:
    """The code-set catalogue loaded at start-up."""
    catalogue: Catalogue = request.app.state.catalogue
    return catalogue


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]
