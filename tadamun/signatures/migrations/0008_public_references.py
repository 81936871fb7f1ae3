"""Public numbers that say nothing about when a row was made: an organization's number on the
public lists, and a signature's number in the public record (see Organization.public_ref and
SignOn.reference). Rows from before keep their row number (the fields stay empty), so that the
record and the lists already published still agree."""

from django.db import migrations, models

import tadamun.signatures.models.organizations


class Migration(migrations.Migration):
    dependencies = [
        ("signatures", "0007_housekeeping_moved"),
    ]

    operations = [
        # Added empty first: a callable default would give every existing row the same value.
        migrations.AddField(
            model_name="organization",
            name="public_ref",
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="signon",
            name="record_ref",
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="organization",
            name="public_ref",
            field=models.PositiveBigIntegerField(
                blank=True,
                default=tadamun.signatures.models.organizations.public_number,
                editable=False,
                null=True,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="signon",
            name="record_ref",
            field=models.PositiveBigIntegerField(
                blank=True,
                default=tadamun.signatures.models.organizations.public_number,
                editable=False,
                null=True,
                unique=True,
            ),
        ),
    ]
