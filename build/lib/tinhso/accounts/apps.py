from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tinhso.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from tinhso.core.registry import MenuItem, demo, menu

        from . import backends  # noqa: F401  (connects the failed-login counter)
        from .demo import seed_users

        menu.add(MenuItem(_("Users"), "accounts:user_list", permission="accounts.view_user", order=90))
        demo.add("users", seed_users, order=90)
