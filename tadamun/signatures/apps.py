from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "tadamun.signatures"
    verbose_name = _("Signatures")

    def ready(self):
        from django.db.models.signals import post_save

        from tadamun.statements.models import version_published

        from .models import Organization, Pledge, SignOn
        from .models.notices import ask_to_reconfirm
        from .receivers import touch_statement, touch_statements_of

        version_published.connect(ask_to_reconfirm, dispatch_uid="signatures.reconfirm")
        for model in (SignOn, Pledge):
            post_save.connect(touch_statement, sender=model, dispatch_uid=f"touch.{model}")
        post_save.connect(
            touch_statements_of, sender=Organization, dispatch_uid="touch.organization"
        )
