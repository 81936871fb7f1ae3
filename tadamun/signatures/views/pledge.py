"""Pledge pages: the join form and the links in pledge messages."""

from ..forms import PledgeForm
from ..models import Pledge
from .links import link_view
from .submission import form_page, sent_page

join = form_page(PledgeForm, Pledge, "signatures/join_form.html", "signatures:join_sent", "email")
join_sent = sent_page(pledge=True)


confirm = link_view(
    Pledge,
    "pledge-confirm",
    "signatures/pledge_confirm.html",
    "signatures/pledge_confirm_done.html",
    can=Pledge.can_confirm,
    act=Pledge.confirm,
)
confirm_work = link_view(
    Pledge,
    "pledge-work",
    "signatures/pledge_work.html",
    "signatures/pledge_work_done.html",
    can=Pledge.can_confirm_work,
    act=Pledge.confirm_work_address,
)
withdraw = link_view(
    Pledge,
    "pledge-withdraw",
    "signatures/pledge_withdraw.html",
    "signatures/pledge_withdraw_done.html",
    can=Pledge.can_withdraw,
    act=Pledge.withdraw,
)
unsubscribe = link_view(
    Pledge,
    "pledge-unsubscribe",
    "signatures/pledge_unsubscribe.html",
    "signatures/pledge_unsubscribe_done.html",
    can=Pledge.can_unsubscribe,
    act=Pledge.unsubscribe,
)
