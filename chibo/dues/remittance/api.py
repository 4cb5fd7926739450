"""/api/v1/dues/remittances."""

from ninja import Router

remittances = Router(tags=["dues"])
