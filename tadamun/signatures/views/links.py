"""The one mechanism behind every link in a message: confirm, withdraw, reconfirm, confirm a
work address, stop updates. GET shows the page with a button; only the POST acts, so that
mail scanners opening links act for nobody; a link used again changes nothing."""

from collections.abc import Callable

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import tokens
from ..limits import limited


def link_problem(request, error: tokens.Invalid, kind: str):
    expired = isinstance(error, tokens.Expired)
    return render(
        request,
        "signatures/link_problem.html",
        {"expired": expired, "kind": kind},
        status=410 if expired else 404,
    )


def link_view(
    model,
    purpose: str,
    page: str,
    done: str,
    can: Callable,
    act: Callable,
    refused: Callable | None = None,
    extra: Callable | None = None,
    options: tuple[str, ...] = (),
):
    """A view for one kind of link. `can(obj)`: something is left to do (else the `done` page
    says it was done); `refused(obj)`: a (template, status) to answer instead, or None;
    `act(obj)` does it on POST, with each of `options` the page ticked as True. `can` and
    `act` are the model's own methods, so the rule of what a link may still do lives once,
    on the model."""

    @never_cache
    @require_http_methods(["GET", "POST"])
    @limited("link")
    def view(request, token: str):
        try:
            obj = model.from_token(token, purpose)
        except tokens.Invalid as error:
            return link_problem(request, error, purpose)
        context = {
            model._meta.model_name: obj,
            "statement": obj.statement,
            "title": obj.statement.current_title(),
            **(extra(obj) if extra else {}),
        }
        if not can(obj):
            return render(request, done, {**context, "again": True})
        refusal = refused(obj) if refused else None
        if refusal:
            template, status = refusal
            return render(request, template, context, status=status)
        if request.method == "POST":
            act(obj, **{name: request.POST.get(name) == "1" for name in options})
            return render(request, done, context)
        return render(request, page, context)

    return view
