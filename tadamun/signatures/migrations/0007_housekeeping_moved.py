"""The housekeeping task moved from signatures/tasks.py to signatures/housekeeping.py: a chain
already waiting in the queue follows it there."""

from django.db import migrations

OLD = "tadamun.signatures.tasks.housekeeping"
NEW = "tadamun.signatures.housekeeping.housekeeping"


def follow(apps, schema_editor, old=OLD, new=NEW):
    apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(task_path=old).update(
        task_path=new
    )


def back(apps, schema_editor):
    follow(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("signatures", "0006_field_labels"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(follow, back)]
