"""Atom feeds of a statement: its news updates, and the changes of its demands."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tadamun.multilingual import pick
from tadamun.public.statements import public_statement

from .models import DemandUpdate, Update


class AtomFeed(Atom1Feed):
    def latest_post_date(self):
        # An empty feed would say "updated now" at every read: a clock that tells watchers
        # and caches nothing but moves. It says when the statement was first published.
        if not self.items:
            return self.feed["first_published"]
        return super().latest_post_date()


class StatementFeed(Feed):
    feed_type = AtomFeed

    def feed_extra_kwargs(self, statement):
        return {"first_published": statement.versions.order_by("number").first().published_at}

    def get_object(self, request, slug):
        return public_statement(slug)

    def link(self, statement):
        return statement.get_absolute_url()

    def feed_guid(self, statement):
        return self.link(statement)

    def author_name(self, statement):
        return str(statement.coalition)


class UpdatesFeed(StatementFeed):
    def title(self, statement):
        return _("Updates: %(title)s") % {"title": statement.current_title()}

    def subtitle(self, statement):
        return _("News posted by the coalition on this statement.")

    def items(self, statement):
        return Update.objects.filter(statement=statement).order_by("-published_at")[:50]

    def item_title(self, item):
        return pick(item.title, get_language())

    def item_description(self, item):
        return pick(item.body, get_language())

    def item_link(self, item):
        return reverse("statements:timeline", args=[item.statement.slug]) + f"#update-{item.pk}"

    def item_guid(self, item):
        return f"tag:tadamun,2016:update:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at


class DemandsFeed(StatementFeed):
    def title(self, statement):
        return _("Demands: %(title)s") % {"title": statement.current_title()}

    def subtitle(self, statement):
        return _("Each change of status of the statement's demands, with its sources.")

    def items(self, statement):
        return (
            DemandUpdate.objects.filter(demand__statement=statement)
            .select_related("demand", "demand__statement")
            .order_by("-date", "-pk")[:50]
        )

    def item_title(self, item):
        return f"{pick(item.demand.text, get_language())[:120]} — {item.get_status_display()}"

    def item_description(self, item):
        sources = "\n".join(item.source_list())
        return pick(item.note, get_language()) + (f"\n\n{sources}" if sources else "")

    def item_link(self, item):
        return (
            reverse("statements:timeline", args=[item.demand.statement.slug])
            + f"#demand-update-{item.pk}"
        )

    def item_guid(self, item):
        return f"tag:tadamun,2016:demand-update:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at
