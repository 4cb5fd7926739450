from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import account_views, views
from .forms import StyledPasswordChangeForm, StyledPasswordResetForm, StyledSetPasswordForm

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            form_class=StyledPasswordChangeForm,
            success_url=reverse_lazy("accounts:password_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password_done",
    ),
    # A forgotten password: Django's reset by e-mail, for accounts that have an address (the
    # page says whom to ask otherwise).
    path(
        "password/reset/",
        views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            form_class=StyledPasswordResetForm,
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            form_class=StyledSetPasswordForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    # A person's own account: two-step login and API tokens (account_views.py).
    path("", account_views.account, name="account"),
    path("login/code/", account_views.login_code, name="login_code"),
    path("two-step/", account_views.enrol, name="second_factor_enrol"),
    path("two-step/codes/", account_views.recovery_codes, name="recovery_codes"),
    path("two-step/codes/new/", account_views.recovery_renew, name="recovery_renew"),
    path("two-step/off/", account_views.disable, name="second_factor_disable"),
    path("tokens/", account_views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", account_views.token_revoke, name="token_revoke"),
]
