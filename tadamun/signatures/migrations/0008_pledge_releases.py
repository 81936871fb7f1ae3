"""Pledge figures are published at scheduled releases through a differential-privacy mechanism: the releases and the counters behind them replace the live cells."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("signatures", "0007_housekeeping_moved"),
        ("statements", "0004_field_labels"),
    ]

    operations = [
        migrations.CreateModel(
            name="PledgeCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("family", models.CharField(max_length=10)),
                ("key", models.CharField(max_length=253)),
                ("exact", models.JSONField()),
                ("noisy", models.JSONField()),
                (
                    "statement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="statements.statement",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="PledgeRelease",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField()),
                ("slot", models.DateTimeField()),
                ("released_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("figures", models.JSONField()),
                ("named", models.JSONField(default=list)),
                ("final", models.BooleanField(default=False)),
                (
                    "statement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pledge_releases",
                        to="statements.statement",
                    ),
                ),
            ],
            options={
                "ordering": ["statement", "number"],
            },
        ),
        migrations.DeleteModel(
            name="PledgeCell",
        ),
        migrations.AddConstraint(
            model_name="pledgecounter",
            constraint=models.UniqueConstraint(
                fields=("statement", "family", "key"), name="one_counter_per_key"
            ),
        ),
        migrations.AddConstraint(
            model_name="pledgerelease",
            constraint=models.UniqueConstraint(
                fields=("statement", "number"), name="one_release_per_number"
            ),
        ),
        migrations.AddConstraint(
            model_name="pledgerelease",
            constraint=models.UniqueConstraint(
                fields=("statement", "slot"), name="one_release_per_slot"
            ),
        ),
    ]
