"""The JSON API, mounted by chibo/urls.py at /api/v1/. Described in docs/api.md; the OpenAPI
schema is at /api/v1/openapi.json and interactive docs at /api/v1/docs."""

from django.urls import path

from chibo.core.api import AUTH, ChiboAPI, Utf8JSONRenderer, install_error_handlers
from chibo.members import api as members_api
from chibo.org import api as org_api

api = ChiboAPI(
    title="Chibo API",
    version="1",
    description="Party units, villages and member records, scoped like the pages. See docs/api.md.",
    urls_namespace="api",
    auth=AUTH,
    renderer=Utf8JSONRenderer(),
)
install_error_handlers(api)

api.add_router("/units", org_api.units)
api.add_router("/villages", org_api.villages)
api.add_router("/members", members_api.members)
api.add_router("/events", members_api.events)
api.add_router("/placements", members_api.placements)
api.add_router("/positions", members_api.positions)
api.add_router("/transfers", "chibo.members.api.transfers.transfers")
api.add_router("/meetings", "chibo.meetings.api.meetings")
api.add_router("/agenda-templates", "chibo.meetings.api.prepare.templates")
api.add_router("/follow-assignments", "chibo.follow.api.follow")
api.add_router("/candidates", "chibo.development.api.candidates")
api.add_router("/official-reviews", "chibo.development.api.reviews")
api.add_router("/notices", "chibo.notices.api.notices")
api.add_router("/deadlines", "chibo.deadlines.api.deadlines")
api.add_router("/badges", "chibo.badges.api.badges")
api.add_router("/rules", "chibo.rules.endpoints.rules_router")

urlpatterns = [path("", api.urls)]
