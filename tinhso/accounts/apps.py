from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tinhso.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from tinhso.core.notifications import register_kind
        from tinhso.core.registry import MenuItem, demo, menu
        from tinhso.core.scoping import register_scope_backend

        from . import (
            backends,  # noqa: F401  (connects the failed-login counter)
            continuity,  # noqa: F401  (roles follow a unit's successor when a succession is recorded)
        )
        from .demo import describe_logins, seed_users
        from .scope import RoleScopeBackend

        register_scope_backend(RoleScopeBackend())
        # Sent only through send_now (services.send_phone_code): not a choice on the preferences page.
        register_kind("accounts.phone_code", _("Phone verification code"), channels=("sms",), choosable=False)
        menu.add(MenuItem(_("Users"), "accounts:user_list", permission="accounts.view_user", order=90))
        demo.add("users", seed_users, order=90, describe=describe_logins)
