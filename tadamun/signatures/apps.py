from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "tadamun.signatures"
    verbose_name = _("Signatures")

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_save

        from tadamun import keys
        from tadamun.statements.models import version_published

        from . import receivers
        from .models import Organization, Pledge, SignOn

        checks.register(keys.deploy_checks, checks.Tags.security, deploy=True)
        version_published.connect(receivers.ask_to_reconfirm, dispatch_uid="signatures.reconfirm")
        for model in (SignOn, Pledge):
            post_save.connect(
                receivers.touch_statement, sender=model, dispatch_uid=f"touch.{model}"
            )
        post_save.connect(
            receivers.touch_statements_of, sender=Organization, dispatch_uid="touch.organization"
        )
