"""A limit on how often one client may send a form: the forms anyone may send without an
account (sign-up, a new confirmation link, password reset, the concern form), which a
script could otherwise send by the thousand to fill the archivists' queue or somebody's
mailbox.

Sendings are counted per form in fixed windows in Django's cache: per account for a
signed-in person, otherwise per client address (archive/lib/client_address.py; IPv6 by
its /64). Past FORM_RATE_LIMIT sendings in FORM_RATE_WINDOW_SECONDS the form answers 429
with Retry-After, without running. The counters live in Django's cache, per process by
default: with several web processes, configure a shared cache (as for the API's limits).
"""

import math
import time
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string

from archive.lib.client_address import address_block, client_address

DEFAULT_LIMIT = 5
DEFAULT_WINDOW_SECONDS = 600


def sender_of(request: HttpRequest) -> str:
    user: Any = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"address:{address_block(client_address(request))}"


def count_in_window(name: str, window: int) -> tuple[int, int]:
    """Count one event under `name` in the current fixed window of `window` seconds: how
    many there were in it so far, this one included, and the seconds until it ends."""
    now = time.time()
    start = int(now // window) * window
    key = f"rate:{name}:{start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count, max(1, math.ceil(start + window - now))


def count_sending(form: str, request: HttpRequest) -> int | None:
    """Count one sending of `form`; the seconds to wait when it is one too many, else None."""
    limit = int(getattr(settings, "FORM_RATE_LIMIT", DEFAULT_LIMIT))
    window = int(getattr(settings, "FORM_RATE_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS))
    count, wait = count_in_window(f"form:{form}:{sender_of(request)}", window)
    return None if count <= limit else wait


def too_many_sendings(request: HttpRequest, retry_after: int) -> HttpResponse:
    page = render_to_string("429.html", {"wait": timedelta(seconds=retry_after)}, request=request)
    return HttpResponse(page, status=429, headers={"Retry-After": str(retry_after)})


def limit_sendings(
    form: str,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """For a view with a form: refuse POSTs past the limit, before the view runs."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method == "POST":
                retry_after = count_sending(form, request)
                if retry_after is not None:
                    return too_many_sendings(request, retry_after)
            return view(request, *args, **kwargs)

        return limited

    return decorate
