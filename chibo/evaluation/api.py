"""/api/v1/evaluation."""

from ninja import Router

evaluation = Router(tags=["evaluation"])
