from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "tadamun.signatures"
    verbose_name = _("Signatures")

    def ready(self):
        from django.core import checks

        from tadamun import keys
        from tadamun.statements.models import version_published

        from .models.notices import ask_to_reconfirm

        # `check --deploy` fails while signers' data or keys would not be protected.
        checks.register(keys.deploy_checks, checks.Tags.security, deploy=True)
        version_published.connect(ask_to_reconfirm, dispatch_uid="signatures.reconfirm")
