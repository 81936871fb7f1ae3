"""The public forms that submit something to a statement (an organization's sign-on, an
individual's pledge), and the "check your e-mail" page after them."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tadamun.statements.views import public_statement

from ..limits import limited


def form_page(form_class, model, template: str, sent: str, email_field: str):
    """A form view: it validates on the server, stores with `model.submit`, and answers every
    accepted post the same way, whatever was signed before."""

    @never_cache
    @require_http_methods(["GET", "POST"])
    @limited("form", email_field=email_field)
    def view(request, slug: str):
        statement = public_statement(slug)
        context = {"statement": statement, "title": statement.current_title()}
        if not statement.is_open:
            return render(request, "signatures/closed.html", context, status=410)
        form = form_class(request.POST or None, statement=statement)
        if request.method == "POST" and form.is_spam():
            # Software that fills the hidden field is told what a person is told, and
            # nothing is stored.
            return redirect(sent, slug=statement.slug)
        if request.method == "POST" and form.is_valid():
            model.submit(statement, form.cleaned_data, get_language())
            # The same answer whether or not this organization or address signed before:
            # whoever submits learns nothing about other signatures.
            return redirect(sent, slug=statement.slug)
        status = 400 if form.errors else 200
        return render(request, template, {**context, "form": form}, status=status)

    return view


def sent_page(**extra):
    def view(request, slug: str):
        statement = public_statement(slug)
        context = {
            "statement": statement,
            "title": statement.current_title(),
            "hours": settings.CONFIRMATION_HOURS,
            **extra,
        }
        return render(request, "signatures/sent.html", context)

    return view
