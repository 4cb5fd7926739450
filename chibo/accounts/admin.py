from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .forms import AdminLoginForm
from .models import LoginFailure, RecordRead, RoleGrant, User


@admin.register(User)
class ChiboUserAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Chibo", {"fields": ("member",)}))
    raw_id_fields = ("member",)


@admin.register(RoleGrant)
class RoleGrantAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    raw_id_fields = ("user", "unit")


@admin.register(RecordRead)
class RecordReadAdmin(admin.ModelAdmin):
    """The audit of full-record reads, for the system administrator; read-only."""

    list_display = ("at", "user", "member", "channel")
    raw_id_fields = ("user", "member")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The admin's login goes through the same throttle as Chibo's (accounts.forms).
admin.site.login_form = AdminLoginForm


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Failed logins, on both login pages, for the system administrator; read-only."""

    list_display = ("at", "username", "address", "page", "refused", "cleared", "alerted")
    list_filter = ("page", "cleared", "alerted")
    search_fields = ("username", "address")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
