"""The JSON API, mounted by chibo/site/urls.py at /api/v1/: each app's routers under their
prefix. Described in docs/api.md; the OpenAPI schema is at /api/v1/openapi.json and
interactive docs at /api/v1/docs."""

from django.urls import path

from chibo.accounts.api import me
from chibo.accounts.authentication import AUTH
from chibo.badges.api import badges
from chibo.core.api import ChiboAPI, Utf8JSONRenderer, install_error_handlers
from chibo.deadlines.api import deadlines
from chibo.development.api import candidates, reviews
from chibo.dues.api import dues
from chibo.dues.remittance.api import remittances
from chibo.evaluation.api import evaluation
from chibo.follow.api import follow
from chibo.meetings.api import meetings
from chibo.meetings.api.prepare import templates
from chibo.meetings.api.removal import removal_router
from chibo.members import api as members_api
from chibo.members.api.transfers import transfers
from chibo.notices.api import notices
from chibo.org import api as org_api
from chibo.reports.api import reports
from chibo.reports.snapshots.api import snapshots
from chibo.rules.api import rules_router

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
api.add_router("/units", members_api.unit_counts_router)
api.add_router("/villages", org_api.villages)
api.add_router("/members", members_api.members)
api.add_router("/events", members_api.events)
api.add_router("/placements", members_api.placements)
api.add_router("/positions", members_api.positions)
api.add_router("/transfers", transfers)
api.add_router("/meetings", meetings)
api.add_router("/agenda-templates", templates)
api.add_router("/follow-assignments", follow)
api.add_router("/candidates", candidates)
api.add_router("/official-reviews", reviews)
api.add_router("/notices", notices)
api.add_router("/deadlines", deadlines)
api.add_router("/deadlines", removal_router)
api.add_router("/badges", badges)
api.add_router("/evaluation", evaluation)
api.add_router("/dues/remittances", remittances)
api.add_router("/dues", dues)
api.add_router("/rules", rules_router)
api.add_router("/reports", reports)
api.add_router("/reports/snapshots", snapshots)
api.add_router("/me", me)

urlpatterns = [path("", api.urls)]
