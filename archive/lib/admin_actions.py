"""The buttons on an admin change page that run one workflow step (verify a consent, decide
an access request, approve a testimony...): each is a URL under the object's page whose view
validates a small form, calls a service and goes back to the page with what happened.

Here, at the bottom, so that the admins of every layer (accounts' as well as curation's)
share one way of doing it: a refused step (WorkflowError) is a message, never an error page.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import URLPattern, path, reverse

from archive.lib.arguments import strict_int
from archive.lib.errors import WorkflowError

# A step gets the form's cleaned data (empty without a form) and returns the success message.
Step = Callable[[dict[str, Any]], str]


def object_action_path(
    model_admin: "admin.ModelAdmin[Any]",
    route: str,
    view: Callable[..., HttpResponseRedirect],
    name: str,
) -> URLPattern:
    """The URL of a button on the object's page: `<id>/<route>`, behind the admin's login."""
    return path(f"<int:object_id>/{route}", model_admin.admin_site.admin_view(view), name=name)


def change_page_redirect(
    model_admin: "admin.ModelAdmin[Any]", obj: models.Model
) -> HttpResponseRedirect:
    opts = obj._meta
    return HttpResponseRedirect(
        reverse(
            f"{model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
            args=[obj.pk],
        )
    )


def run_object_action(
    model_admin: "admin.ModelAdmin[Any]",
    request: HttpRequest,
    obj: models.Model,
    step: Step,
    *,
    form_class: type[forms.Form] | None = None,
    invalid_message: str = "",
) -> HttpResponseRedirect:
    """Run `step` for a POST and go back to `obj`'s change page.

    With `form_class`, the POST is validated first: an invalid one runs nothing and says
    `invalid_message`, or else each field's errors. The step's WorkflowError becomes an
    error message (the service rolled back whatever it had begun); its return value, a
    success message. Any other method only goes back.
    """
    back = change_page_redirect(model_admin, obj)
    if request.method != "POST":
        return back
    data: dict[str, Any] = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            if invalid_message:
                messages.error(request, invalid_message)
            else:
                for errors in form.errors.values():
                    messages.error(request, " ".join(str(error) for error in errors))
            return back
        data = form.cleaned_data
    try:
        message = step(data)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return back


def object_of_change_page[M: models.Model](
    queryset: "models.QuerySet[M]", object_id: str
) -> M | None:
    """The object a change page is about, for the panel its change_view adds: None for an id
    that is no number (the admin answers "not found" for those; so must the panel, rather
    than a 500), or for one that does not exist."""
    return queryset.filter(pk=strict_int(object_id) or 0).first()
