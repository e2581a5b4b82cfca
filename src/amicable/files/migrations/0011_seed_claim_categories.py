"""Seed the prescription periods of docs/legal.md section 8 and give every existing claim the
category of its creditor's sector (amicable.domain.prescription.DEFAULT_CATEGORY_BY_SECTOR).

The values are written out here, not imported: a migration must keep doing what it did when it
was written, whatever the code becomes.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

CATEGORIES = (
    (
        "consumer_goods",
        "Goods sold by a merchant to a consumer",
        12,
        "Old Civil Code art. 2272 al. 2",
    ),
    (
        "network_supply",
        "Energy, water and electronic communications (periodic supply)",
        60,
        "Old Civil Code art. 2277 al. 2",
    ),
    ("medical_care", "Medical care", 24, "Old Civil Code (docs/legal.md, section 8)"),
    ("hotel_restaurant", "Hotel and restaurant bills", 6, "Old Civil Code (docs/legal.md, §8)"),
    ("general", "Other personal claims", 120, "Old Civil Code art. 2262bis"),
)
BY_SECTOR = {
    "energy": "network_supply",
    "telecom": "network_supply",
    "retail": "consumer_goods",
    "other": "general",
}


def seed(apps: Any, schema_editor: Any) -> None:
    category_model = apps.get_model("files", "ClaimCategory")
    claim_model = apps.get_model("files", "Claim")
    by_code = {}
    for code, name, months, basis in CATEGORIES:
        by_code[code], _ = category_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "period_months": months, "legal_basis": basis},
        )
    for sector, code in BY_SECTOR.items():
        claim_model.objects.filter(category__isnull=True, file__creditor__sector=sector).update(
            category=by_code[code]
        )
    claim_model.objects.filter(category__isnull=True).update(category=by_code["general"])


class Migration(migrations.Migration):
    dependencies = [("files", "0010_claim_prescription")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
