"""What signatures do when a statement changes."""

# Statuses whose rows a public page shows, or showed and must stop showing. Saving a row in
# another status (a new, unconfirmed submission) changes no page, and touching the Tally for
# it would make every submitter wait on that one row.
SHOWN = {"approved", "withdrawn", "duplicate", "removed", "confirmed"}


def touch_statement(sender, instance, created=False, **kwargs) -> None:
    """A sign-on or pledge changed: pages of its statement must not be served from before."""
    from tadamun.statements.models import Tally

    if instance.status in SHOWN:
        Tally.touch(instance.statement_id)


def touch_statements_of(sender, instance, created=False, **kwargs) -> None:
    """An organization changed (a name, a merge): every statement listing it."""
    from tadamun.statements.models import Tally

    if created:
        return
    for statement_id in set(
        instance.signons.filter(status__in=SHOWN).values_list("statement_id", flat=True)
    ):
        Tally.touch(statement_id)
