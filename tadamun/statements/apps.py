from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatementsConfig(AppConfig):
    name = "tadamun.statements"
    verbose_name = _("Statements")

    def ready(self):
        from tadamun.record.models import public_lists

        public_lists.connect(
            lambda sender, **kwargs: _public_lists(), dispatch_uid="statements.lists", weak=False
        )


def _public_lists() -> list[dict]:
    from .exports import public_list_document
    from .models import Statement

    return [public_list_document(statement) for statement in Statement.objects.public()]
