"""Render stage: the template context (``context``) and the renderer (``renderer``)."""

from anfrage.render.renderer import Rendered, Renderer

__all__ = ["Rendered", "Renderer"]
