from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "tadamun.desk"
    verbose_name = _("organizers' desk")

    def ready(self):
        from tadamun.signatures.erasure import names_erased

        from .models import erase_names

        # An import's rows keep the names as they were pasted: an erased name goes from them.
        names_erased.connect(erase_names, dispatch_uid="desk.imports.erase_names")
