"""Moderation in the admin: the review queue, the workflow panel on a testimony's page, and
the read-only audit log. Every button and action calls archive/publishing/services.py."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, reverse
from django.utils import timezone
from django.utils.html import format_html

from archive.accounts.access import signed_in_user
from archive.accounts.models import User
from archive.audit.history import history, without_data_keys
from archive.audit.models import AuditEntry
from archive.consent.policy import disclosure_for
from archive.lib.admin_actions import object_action_path, object_of_change_page, run_object_action
from archive.lib.errors import WorkflowError
from archive.publishing import permissions, services
from archive.publishing.forms import WorkflowForm
from archive.publishing.models import Review
from archive.publishing.permissions import Decision
from archive.publishing.snapshots import build_snapshot, diff_snapshots
from archive.testimonies.models import Testimony


@dataclass(frozen=True)
class WorkflowAction:
    name: str
    label: str
    fields: tuple[str, ...] = ()
    required: str = ""


SUBMIT = WorkflowAction("submit", "Submit for review", ("comment",))
APPROVE = WorkflowAction("approve", "Approve and publish", ("comment", "publish_at"))
REQUEST_CHANGES = WorkflowAction("request_changes", "Request changes", ("comment",), "comment")
WITHDRAW = WorkflowAction("withdraw", "Withdraw from publication", ("comment",), "comment")
REPUBLISH = WorkflowAction("republish", "Send back into review", ("comment",))


def pending_review(testimony: Testimony) -> Review | None:
    return (
        testimony.reviews.filter(decision=Review.Decision.PENDING)
        .select_related("revision", "submitted_by")
        .first()
    )


def allowed_actions(
    user: User, testimony: Testimony, review: Review | None
) -> list[WorkflowAction]:
    checks: list[tuple[WorkflowAction, Decision]] = [
        (SUBMIT, permissions.can_submit(user, testimony)),
        (WITHDRAW, permissions.can_withdraw(user, testimony)),
        (REPUBLISH, permissions.can_republish(user, testimony)),
    ]
    if review is not None:
        checks += [
            (APPROVE, permissions.can_approve(user, review)),
            (REQUEST_CHANGES, permissions.can_decide(user, review)),
        ]
    return [action for action, decision in checks if decision]


def status_label(testimony: Testimony) -> str:
    if testimony.live_revision_id and testimony.status != Testimony.Status.PUBLISHED:
        return f"Published, changes pending ({testimony.get_status_display().lower()})"
    return testimony.get_status_display()


def workflow_context(request: HttpRequest, testimony: Testimony) -> dict[str, Any]:
    """What the panel on a testimony's page shows the current user."""
    user = signed_in_user(request)
    review = pending_review(testimony)
    live = testimony.live_revision
    pending_content = review.revision.snapshot if review else build_snapshot(testimony)
    disclosure = disclosure_for(testimony, assume_live=True, content=pending_content)
    actions = allowed_actions(user, testimony, review)
    if disclosure.blockers:
        # The panel says why; a button that can only fail would not help.
        actions = [action for action in actions if action is not APPROVE]
    can_override = bool(permissions.can_override_pseudonym_guard(user))
    return {
        "status": status_label(testimony),
        "live_revision": live,
        "pending_review": review,
        "disclosure_now": disclosure_for(testimony).summary_line(),
        "disclosure_if_published": disclosure.summary_line(),
        "restrictions": [r.message for r in disclosure.restrictions],
        "blockers": disclosure.blockers,
        "actions": [
            {
                "action": action,
                "form": WorkflowForm(
                    auto_id=f"id_{action.name}_%s",
                ),
                "fields": [
                    *action.fields,
                    *(("override_reason",) if action is APPROVE and can_override else ()),
                ],
                "url": reverse(
                    "admin:testimonies_testimony_workflow", args=[testimony.pk, action.name]
                ),
            }
            for action in actions
        ],
        "diff": diff_snapshots(
            live.snapshot,
            pending_content,
            show_names=user.has_perm("testimonies.view_narratoridentity"),
        )
        if live
        else [],
        "history": history(
            AuditEntry.objects.filter(testimony_id=testimony.pk),
            hidden=hidden_from(signed_in_user(request)),
        ),
    }


# Audit data that says where the pseudonym guard found a narrator's real name: for
# archivists only (a location tells which of several candidate names is the real one).
GUARD_LOCATION_KEYS = frozenset({"locations"})


def hidden_from(user: Any) -> frozenset[str]:
    """The audit data keys this person may not read."""
    if permissions.can_override_pseudonym_guard(user):
        return frozenset()
    return GUARD_LOCATION_KEYS


class WorkflowAdminMixin:
    """Adds the workflow panel, its buttons and list actions to the testimony admin."""

    def get_urls(self) -> list[URLPattern]:
        workflow = object_action_path(
            self,  # type: ignore[arg-type]
            "workflow/<str:action>/",
            self.workflow_view,
            "testimonies_testimony_workflow",
        )
        return [workflow, *super().get_urls()]  # type: ignore[misc]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        testimony = object_of_change_page(
            Testimony.objects.select_related("narrator__identity", "live_revision"), object_id
        )
        extra_context = extra_context or {}
        if testimony is not None:
            extra_context["workflow"] = workflow_context(request, testimony)
        return super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]

    def workflow_view(
        self, request: HttpRequest, object_id: int, action: str
    ) -> HttpResponseRedirect:
        testimony = get_object_or_404(Testimony, pk=object_id)
        return run_object_action(
            self,  # type: ignore[arg-type]
            request,
            testimony,
            lambda data: self._run(action, signed_in_user(request), testimony, data),
            form_class=WorkflowForm,
        )

    def _run(self, action: str, user: User, testimony: Testimony, data: dict[str, Any]) -> str:
        comment = data.get("comment") or ""
        reference = testimony.reference
        if action == SUBMIT.name:
            services.submit_for_review(testimony, actor=user, comment=comment)
            return f"{reference} was submitted for review."
        if action == WITHDRAW.name:
            services.withdraw(testimony, actor=user, reason=comment)
            return f"{reference} was withdrawn from publication."
        if action == REPUBLISH.name:
            services.republish(testimony, actor=user, comment=comment)
            return f"{reference} is back in review."
        review = pending_review(testimony)
        if review is None:
            raise WorkflowError("There is no submission waiting for review.")
        if action == REQUEST_CHANGES.name:
            services.request_changes(review, actor=user, comment=comment)
            return f"{reference} was sent back to its author."
        if action == APPROVE.name:
            publish_at = data.get("publish_at")
            services.approve(
                review,
                actor=user,
                comment=comment,
                publish_at=publish_at,
                override_reason=data.get("override_reason") or "",
            )
            if publish_at and publish_at > timezone.now():
                return f"{reference} was approved and goes live on {publish_at:%d %B %Y, %H:%M}."
            return f"{reference} was approved and is published."
        raise WorkflowError(f"Unknown action “{action}”.")


def report_each(
    request: HttpRequest,
    testimonies: QuerySet[Testimony],
    step: Callable[[Testimony], str],
) -> None:
    """Run a step on each selected testimony and say per item what happened."""
    for testimony in testimonies.order_by("reference"):
        try:
            message = step(testimony)
        except WorkflowError as error:
            messages.error(request, f"{testimony.reference}: {error.message}")
        else:
            messages.success(request, f"{testimony.reference}: {message}")


@admin.action(description="Submit the selected testimonies for review")
def submit_selected(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Testimony]) -> None:
    def step(testimony: Testimony) -> str:
        services.submit_for_review(testimony, actor=signed_in_user(request))
        return "submitted for review."

    report_each(request, queryset, step)


@admin.action(description="Approve and publish the selected submissions", permissions=["review"])
def approve_selected(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Testimony]) -> None:
    def step(testimony: Testimony) -> str:
        review = pending_review(testimony)
        if review is None:
            raise WorkflowError("nothing is waiting for review.")
        services.approve(review, actor=signed_in_user(request))
        return "approved and published."

    report_each(request, queryset, step)


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """The moderation queue: submissions waiting for a decision, oldest first."""

    list_display = [
        "testimony_link",
        "title",
        "revision_number",
        "submitted_by",
        "submitted_at",
        "decision",
        "decided_by",
    ]
    # The testimony's page is where a review is decided: link there, not to the review.
    list_display_links = None
    list_filter = ["decision"]
    list_select_related = ["testimony", "revision", "submitted_by", "decided_by"]
    ordering = ["submitted_at"]
    search_fields = ["testimony__reference", "testimony__title"]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> Any:
        # The queue opens on what is waiting; the filter shows the rest.
        if not request.GET:
            return HttpResponseRedirect(f"{request.path}?decision__exact={Review.Decision.PENDING}")
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        return False

    @admin.display(description="testimony", ordering="testimony__reference")
    def testimony_link(self, review: Review) -> str:
        url = reverse("admin:testimonies_testimony_change", args=[review.testimony_id])
        return format_html('<a href="{}">{}</a>', url, review.testimony.reference)

    @admin.display(description="title")
    def title(self, review: Review) -> str:
        return review.testimony.title

    @admin.display(description="revision", ordering="revision__number")
    def revision_number(self, review: Review) -> int:
        return review.revision.number


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Append-only: nobody, superusers included, may add, change or delete entries here."""

    list_display = ["created_at", "action", "actor", "object_repr", "ip_address"]
    list_filter = ["action", "object_type"]
    list_select_related = ["actor"]
    search_fields = ["action", "object_repr", "object_id"]
    date_hierarchy = "created_at"

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        # An entry's data may hold what its reader may not see (the guard's locations): a
        # filter on it would answer by yes or no. The list filters on other fields.
        if lookup.split(LOOKUP_SEP)[0] == "data":
            return False
        return super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> AuditEntry | None:
        entry = super().get_object(request, object_id, from_field)
        if entry is None:
            return None
        return without_data_keys([entry], hidden_from(signed_in_user(request)))[0]
