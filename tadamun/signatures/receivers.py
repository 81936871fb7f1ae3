"""What signatures do when a statement changes."""


def ask_to_reconfirm(sender, version, **kwargs) -> None:
    """A new version was published: ask signatories of earlier ones to reconfirm."""
    from .models import Notice

    if version.number < 2:
        return
    notice = Notice.objects.create(
        statement_id=version.statement_id, kind=Notice.Kind.RECONFIRM, version=version
    )
    # Queued in the publishing transaction: both happen, or neither.
    notice.start()
