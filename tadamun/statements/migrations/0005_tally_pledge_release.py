"""The Tally no longer counts pledges live: it points at the last scheduled release."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("signatures", "0008_pledge_releases"),
        ("statements", "0004_field_labels"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="tally",
            name="pledge_changes",
        ),
        migrations.RemoveField(
            model_name="tally",
            name="pledge_figures",
        ),
        migrations.RemoveField(
            model_name="tally",
            name="pledges",
        ),
        migrations.RemoveField(
            model_name="tally",
            name="pledges_striking",
        ),
        migrations.AddField(
            model_name="tally",
            name="pledge_release",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="signatures.pledgerelease",
                verbose_name="published pledge figures",
            ),
        ),
    ]
