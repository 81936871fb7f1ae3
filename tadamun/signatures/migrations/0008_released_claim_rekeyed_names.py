"""Released claims are marked (they never become an organization's known contact), and the
spellings of approved names get the keys of the extended folding (look-alike symbols, Latin
letter forms, Arabic letter forms): without new keys, a name written as before would no
longer find its organization.

A sign-on released before this migration cannot be told apart from one approved without
being held: those stay as they are. Where two organizations' spellings now share a key,
the later one keeps its old key (which no new name produces), so neither is lost; the
near-duplicate search shows the two to organizers, who merge them."""

from django.db import migrations, models


def rekey(apps, schema_editor):
    from tadamun.signatures import dedupe

    spelling = apps.get_model("signatures", "OrganizationName")
    rows = list(spelling.objects.order_by("pk"))
    groups = {}
    for row in rows:
        groups.setdefault(dedupe.name_key(row.name) or row.key, []).append(row)
    final, gone = {}, []
    for key, group in groups.items():
        first = next((row for row in group if row.key == key), group[0])
        final[first.pk] = key
        for row in group:
            if row.organization_id == first.organization_id and row is not first:
                gone.append(row.pk)  # the same organization's spelling, twice over now
    taken = set(final.values())
    for row in rows:
        if row.pk not in final and row.pk not in gone:
            # Another organization's spelling under a key now held: it keeps its old key.
            final[row.pk] = row.key if row.key not in taken else f"{row.key[:180]}#{row.pk}"
    spelling.objects.filter(pk__in=gone).delete()
    changed = [row for row in rows if row.pk in final and final[row.pk] != row.key]
    # In two steps, so that no key is held twice in between.
    for row in changed:
        spelling.objects.filter(pk=row.pk).update(key=f"~{row.pk}")
    for row in changed:
        spelling.objects.filter(pk=row.pk).update(key=final[row.pk])


class Migration(migrations.Migration):
    dependencies = [
        ("signatures", "0007_housekeeping_moved"),
    ]

    operations = [
        migrations.AddField(
            model_name="signon",
            name="released_claim",
            field=models.BooleanField(
                db_default=False,
                default=False,
                editable=False,
                verbose_name="approved after being held",
            ),
        ),
        migrations.RunPython(rekey, migrations.RunPython.noop),
    ]
