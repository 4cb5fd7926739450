"""Units that require two-step login of their offices: who must enrol (a grant meets the
tree, as in scope.py), who may set the requirement, and the service that sets it."""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy

from chibo.accounts.models import Role, RoleGrant, SecondFactor, User
from chibo.core import audit

from .models import Ancestry, OrgUnit, SecondFactorRule
from .scope import holders

REQUIRED = audit.kind(
    "org.second_factor_required", gettext_lazy("Two-step login required for offices of %(unit)s")
)
NOT_REQUIRED = audit.kind(
    "org.second_factor_not_required",
    gettext_lazy("Two-step login no longer required for offices of %(unit)s"),
)


def second_factor_state(user) -> tuple[bool, bool]:
    """(enrolled, required) for `user` in one query: whether they have an authenticator app,
    and whether they hold a role of CHIBO_SECOND_FACTOR_ROLES on a unit that lies at or
    below a unit requiring it."""
    ruled = Ancestry.objects.valid().filter(
        ancestor_id__in=SecondFactorRule.objects.values("unit_id")
    )
    grants = RoleGrant.objects.filter(
        user_id=OuterRef("pk"),
        role__in=settings.CHIBO_SECOND_FACTOR_ROLES,
        unit_id__in=ruled.values("descendant_id"),
    )
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            enrolled=Exists(SecondFactor.objects.filter(user_id=OuterRef("pk"))),
            required=Exists(grants),
        )
        .values_list("enrolled", "required")
        .first()
    )
    return (bool(row[0]), bool(row[1])) if row else (False, False)


def rule_above(unit: OrgUnit) -> OrgUnit | None:
    """The nearest unit at or above `unit` that requires two-step login, if any."""
    return (
        unit.ancestors(include_self=True)
        .filter(second_factor_rule__isnull=False)
        .order_by("-depth")
        .first()
    )


def may_set_rule(user, unit: OrgUnit) -> bool:
    """An office over the unit (on it or above it) decides for it; cells have no office."""
    if unit.holds_members:
        return False
    if user.is_superuser:
        return True
    return user.pk in holders([unit.pk], [Role.OFFICE], users=[user.pk])[unit.pk]


@audit.write
def second_factor_rule_set(*, actor, unit: OrgUnit, required: bool) -> None:
    """Require (or stop requiring) two-step login of the offices of `unit` and below. The
    caller checks may_set_rule."""
    rule = SecondFactorRule.objects.filter(unit=unit).first()
    if required and rule is None:
        rule = SecondFactorRule.objects.create(unit=unit, set_by=actor)
        audit.record(REQUIRED, actor=actor, obj=rule, about=unit, unit=unit.name)
    elif not required and rule is not None:
        audit.record(NOT_REQUIRED, actor=actor, obj=rule, about=unit, unit=unit.name)
        rule.delete()


def offices_without(unit: OrgUnit) -> "list[User]":
    """The accounts holding a role the rule applies to, on `unit` or below, that have no
    authenticator app yet: whom the office should remind."""
    subtree = Ancestry.objects.valid().filter(ancestor=unit).values("descendant_id")
    grants = RoleGrant.objects.filter(
        unit_id__in=subtree, role__in=settings.CHIBO_SECOND_FACTOR_ROLES
    ).values("user_id")
    return list(
        User.objects.filter(pk__in=grants, is_active=True, second_factor__isnull=True)
        .select_related("member")
        .order_by("username")
    )
