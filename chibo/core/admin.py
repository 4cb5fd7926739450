"""The audit of writes, for the system administrator; read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from . import audit
from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "kind", "said")
    list_filter = ("kind",)
    date_hierarchy = "at"
    list_select_related = ("actor",)
    raw_id_fields = ("actor",)

    @admin.display(description=gettext_lazy("what was done"))
    def said(self, event: AuditEvent) -> str:
        return audit.sentence(event)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
