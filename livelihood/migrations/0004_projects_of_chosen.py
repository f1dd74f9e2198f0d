"""A project for every proposal already chosen before projects existed."""

from django.db import migrations


def forwards(apps, schema_editor):
    Proposal = apps.get_model("livelihood", "Proposal")
    Project = apps.get_model("livelihood", "Project")
    Unit = apps.get_model("organisation", "Unit")
    for proposal in Proposal.objects.filter(status="chosen", project__isnull=True):
        unit = None
        if proposal.level == "township":
            unit = (
                Unit.objects.filter(kind="township", region_id=proposal.region_id)
                .order_by("pk")
                .first()
            )
        Project.objects.create(proposal=proposal, budget=proposal.estimated_cost, unit=unit)


class Migration(migrations.Migration):
    dependencies = [("livelihood", "0003_delivery"), ("organisation", "0003_unit_kind_township")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
