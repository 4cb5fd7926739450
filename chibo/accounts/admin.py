from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .forms import AdminLoginForm
from .models import ApiToken, LoginFailure, RecordRead, RoleGrant, SecondFactor, User


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


@admin.register(SecondFactor)
class SecondFactorAdmin(admin.ModelAdmin):
    """Who uses two-step login. Deleting a row lets a person who lost both the phone and the
    recovery codes set it up again; the secret is never shown."""

    list_display = ("user", "confirmed_at")
    search_fields = ("user__username",)
    fields = ("user", "confirmed_at")
    readonly_fields = ("user", "confirmed_at")

    def has_add_permission(self, request):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens (only their hashes): to see who has which, and revoke one by deleting it."""

    list_display = ("user", "name", "created_at", "last_used_at", "expires_at")
    search_fields = ("user__username", "name")
    fields = ("user", "name", "created_at", "last_used_at", "expires_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
