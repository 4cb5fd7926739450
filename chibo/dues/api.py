"""/api/v1/dues."""

from ninja import Router

dues = Router(tags=["dues"])
