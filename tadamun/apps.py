"""How the project configures apps it does not own: the admin runs the project's own site, and
the task queue shows a name an organizer can read, in each language."""

from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class Admin(AdminConfig):
    default_site = "tadamun.admin.Site"


class Tasks(TasksAppConfig):
    verbose_name = _("Background tasks")


# The task queue's model names are marked for translation in its own code but it has no
# Arabic catalogue: naming them here puts them in ours.
TASK_MODEL_NAMES = (_("Task Result"), _("Task Results"))
