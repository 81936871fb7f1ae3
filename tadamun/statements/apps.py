from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatementsConfig(AppConfig):
    name = "tadamun.statements"
    verbose_name = _("Statements")

    def ready(self):
        from .models import Tally, changed

        changed.connect(
            lambda sender, statement_id, **kwargs: Tally.touch(statement_id),
            dispatch_uid="statements.touch",
            weak=False,
        )
