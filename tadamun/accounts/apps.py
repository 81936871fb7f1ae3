from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tadamun.accounts"
    verbose_name = _("Organizer accounts")

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth import signals
        from django.db.models.signals import post_delete, post_save, pre_save

        from tadamun.statements.models import Membership

        from . import receivers

        signals.user_logged_in.connect(receivers.signed_in, dispatch_uid="accounts.signed_in")
        signals.user_logged_out.connect(receivers.signed_out, dispatch_uid="accounts.signed_out")
        signals.user_login_failed.connect(receivers.failed, dispatch_uid="accounts.failed")
        user_locked_out.connect(receivers.locked_out, dispatch_uid="accounts.locked_out")
        pre_save.connect(receivers.role_before, sender=Membership, dispatch_uid="accounts.role")
        post_save.connect(receivers.role_saved, sender=Membership, dispatch_uid="accounts.saved")
        post_delete.connect(
            receivers.member_removed, sender=Membership, dispatch_uid="accounts.removed"
        )
