from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "tadamun.public"
    verbose_name = _("Public data")

    def ready(self):
        from tadamun.record.models import public_lists

        from .signatories import public_lists as documents

        # verify_record checks the record against every public list, which it reads here.
        public_lists.connect(documents, dispatch_uid="public.lists")
