from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

BANK = ("view_question", "add_question", "change_question", "delete_question")
CONTESTS = ("view_contest", "add_contest", "change_contest", "delete_contest", "view_questionpool")
FOLLOW = ("view_attempt", "view_participation", "view_enrolment", "view_learnerlevel")
COURSES = ("view_course", "add_course", "change_course", "delete_course", "view_lesson")
LIVE = ("view_liveround", "add_liveround", "change_liveround")
CONTEST_CERTIFICATES = ("view_contestcertificate", "add_contestcertificate", "change_contestcertificate")
CITIZENS = (
    "view_digitalcitizenprofile",
    "add_digitalcitizenprofile",
    "change_digitalcitizenprofile",
    "view_certificate",
    "add_certificate",
)


def _names(*codenames: str) -> list[str]:
    return [f"learning.{codename}" for codename in codenames]


class LearningConfig(AppConfig):
    name = "tinhso.learning"
    label = "learning"
    verbose_name = _("Contests and learning")

    def ready(self):
        from tinhso.accounts.roles import Role, grant

        # Taking part needs no permission beyond being eligible (a citizen, an official); managing banks and
        # contests is the DX centre's and the local governments' work on their own units.
        grant(Role.DX_CENTRE_STAFF, "learning.*")
        local = _names(*BANK, *CONTESTS, *FOLLOW, *CITIZENS, *COURSES, *LIVE, *CONTEST_CERTIFICATES)
        grant(Role.DISTRICT_OFFICER, *local)
        grant(Role.COMMUNE_OFFICER, *local)
        grant(Role.DEPARTMENT_STAFF, *_names("view_question", "view_contest", "view_course", *FOLLOW))
        from tinhso.scoring import inputs

        from . import citizens, tasks  # noqa: F401  (tasks: the periodic sweep of overdue attempts)

        inputs.register(citizens.SUBJECT_KIND, citizens.provide_inputs)  # the digital-citizen rules' inputs
        from tinhso.scoring.privacy import keep_private

        # Residents' scores are personal: shown on learning's citizens pages to those who keep the commune's
        # digital-citizen records, not on scoring's pages to everyone who reads criteria and scores.
        keep_private(citizens.SUBJECT_KIND)

        from tinhso.core import public_cache

        from . import live_state

        public_cache.early(live_state.PLAY_PATH, live_state.poll)  # phones' polls from the cache
        self._register_pages()

    def _register_pages(self):
        from tinhso.core.registry import HomeCard, MenuItem, demo, home, menu

        from .demo import seed_learning
        from .home import learning_card

        menu.add(MenuItem(_("Contests, learning"), "learning:contest_list", order=55))
        demo.add("learning", seed_learning, order=70)
        home.add(HomeCard("learning", learning_card, "learning/home/_card.html", order=60))
