"""Users, researchers' access requests (decided with the buttons on a request's page, which
call archive/accounts/services.py), and the staff's two-factor devices (django-otp's own
admin)."""

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, reverse
from django.utils import timezone

from archive.accounts import services
from archive.accounts.access import signed_in_user
from archive.accounts.models import AccessRequest, User
from archive.audit.history import history
from archive.audit.models import AuditEntry
from archive.lib.admin_actions import (
    change_page_redirect,
    object_action_path,
    object_of_change_page,
    run_object_action,
)

# How long an approval lasts when the researcher asked for no end date: staff may change it.
DEFAULT_ACCESS_PERIOD = timedelta(days=365)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "roles",
        "is_active",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "awaiting_email_confirmation", "groups"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="roles")
    def roles(self, user: User) -> str:
        return ", ".join(group.name for group in user.groups.all())


class ApprovalForm(forms.Form):
    expires_on = forms.DateField(
        label="Access ends on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The last day of access. Leave empty for no end date.",
    )
    comment = forms.CharField(
        label="Comment to the researcher",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RefusalForm(forms.Form):
    comment = forms.CharField(
        label="Reason, sent to the researcher",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RevocationForm(forms.Form):
    reason = forms.CharField(
        label="Reason, sent to the researcher",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "approve": ApprovalForm,
    "refuse": RefusalForm,
    "revoke": RevocationForm,
}


ACCESS_REQUEST_FIELDS: tuple[str, ...] = (
    "user",
    "affiliation",
    "purpose",
    "terms_accepted_at",
    "requested_until",
    "status",
    "created_at",
    "expires_on",
    "decided_by",
    "decided_at",
    "decision_comment",
    "ended_by",
    "ended_at",
    "end_reason",
)


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    """Read-only records: approving, refusing and revoking are buttons on the page."""

    list_display = [
        "__str__",
        "user",
        "affiliation",
        "standing_display",
        "created_at",
        "expires_on",
        "decided_by",
    ]
    list_filter = ["status", ("expires_on", admin.DateFieldListFilter)]
    list_select_related = ["user", "decided_by"]
    search_fields = ["user__username", "user__email", "affiliation"]
    date_hierarchy = "created_at"
    fields = ACCESS_REQUEST_FIELDS
    readonly_fields = ACCESS_REQUEST_FIELDS

    @admin.display(description="status", ordering="status")
    def standing_display(self, access_request: AccessRequest) -> str:
        return access_request.standing

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        decide = object_action_path(
            self, "decide/<str:action>/", self.decide_view, "accounts_accessrequest_decide"
        )
        return [decide, *super().get_urls()]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        access_request = object_of_change_page(
            AccessRequest.objects.select_related("user"), object_id
        )
        extra_context = extra_context or {}
        if access_request is not None:
            extra_context["access_panel"] = self._panel(request, access_request)
        return super().change_view(request, object_id, form_url, extra_context)

    def _panel(self, request: HttpRequest, access_request: AccessRequest) -> dict[str, Any]:
        user = signed_in_user(request)
        may_decide = user.has_perm(services.DECIDE_PERMISSION) and access_request.user_id != user.pk
        pending = access_request.status == AccessRequest.Status.PENDING
        default_end = access_request.requested_until or (
            timezone.localdate() + DEFAULT_ACCESS_PERIOD
        )
        return {
            "standing": access_request.standing,
            "can_decide": may_decide and pending,
            "can_revoke": may_decide and access_request.grants_access,
            "approval_form": ApprovalForm(
                initial={"expires_on": default_end}, auto_id="id_approve_%s"
            ),
            "refusal_form": RefusalForm(auto_id="id_refuse_%s"),
            "revocation_form": RevocationForm(auto_id="id_revoke_%s"),
            "history": history(AuditEntry.objects.for_object(access_request)),
            "earlier_requests": AccessRequest.objects.filter(user_id=access_request.user_id)
            .exclude(pk=access_request.pk)
            .order_by("-created_at")[:20],
            "access_log_url": reverse("admin:public_accessrecord_changelist")
            + "?"
            + urlencode({"q": access_request.user.get_username()}),
        }

    def decide_view(
        self, request: HttpRequest, object_id: int, action: str
    ) -> HttpResponseRedirect:
        access_request = get_object_or_404(
            AccessRequest.objects.select_related("user"), pk=object_id
        )
        if action not in ACTION_FORMS:
            return change_page_redirect(self, access_request)
        name = access_request.user.get_username()

        def decide(data: dict[str, Any]) -> str:
            if action == "approve":
                services.approve_access(
                    access_request,
                    actor=signed_in_user(request),
                    expires_on=data["expires_on"],
                    comment=data["comment"],
                )
                message = f"{name} now has access to researchers' material."
            elif action == "refuse":
                services.refuse_access(
                    access_request, actor=signed_in_user(request), comment=data["comment"]
                )
                message = f"The request of {name} was refused."
            else:
                services.revoke_access(
                    access_request, actor=signed_in_user(request), reason=data["reason"]
                )
                message = f"The access of {name} was revoked."
            return f"{message} They were told by e-mail."

        return run_object_action(
            self, request, access_request, decide, form_class=ACTION_FORMS[action]
        )
