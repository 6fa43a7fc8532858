"""The professionals of the national directory (RPPS, ADELI) known from its public extract.

`manage.py import_rpps_extract` loads them (rpps_plus.services.extract_import): one row per line of the file,
that is per person and exercise situation, with the columns the portal keeps (extract_layout.STORED).
They answer R-RPP-14 (« already has an RPPS or ADELI number ») and the Annuaire Santé's search.
"""

from django.db import models

from ..extract_layout import STORED_FIELDS


class NationalActivity(models.Model):
    """A line of `PS_LibreAcces_Personne_activite`: a known RPPS (type 8) or ADELI (type 0) holder."""

    id = models.BigAutoField(primary_key=True)
    id_type = models.CharField("type d'identifiant", max_length=2)
    identifier = models.CharField("identifiant PP", max_length=20)
    national_id = models.CharField("identification nationale PP", max_length=30)
    civility_code = models.TextField(blank=True)
    civility_label = models.TextField(blank=True)
    last_name = models.TextField("nom d'exercice", blank=True)
    first_name = models.TextField("prénom d'exercice", blank=True)
    profession_code = models.TextField(blank=True)
    profession_label = models.TextField("profession", blank=True)
    category_code = models.TextField(blank=True)
    category_label = models.TextField(blank=True)
    mode_code = models.TextField(blank=True)
    mode_label = models.TextField(blank=True)
    site_siret = models.TextField(blank=True)
    site_finess = models.TextField(blank=True)
    legal_entity_finess = models.TextField(blank=True)
    site_name = models.TextField("structure", blank=True)
    address = models.TextField(blank=True)
    postal_code = models.TextField(blank=True)
    commune_code = models.TextField(blank=True)
    city = models.TextField("commune", blank=True)
    site_phone = models.TextField(blank=True)
    departement = models.TextField(blank=True)
    role_code = models.TextField(blank=True)
    role_label = models.TextField("rôle", blank=True)
    search_name = models.TextField(editable=False)  # folded "NAME FIRSTNAME", as Situation's
    # The digest of the kept columns: a line already loaded is recognised (the import is idempotent).
    line_hash = models.CharField(max_length=32, unique=True, editable=False)
    loaded_at = models.DateTimeField("chargée le")
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    # Few indexes: each one costs a third of the import's time at two million lines (bench/rpps_extract.py).
    class Meta:
        verbose_name = "activité au répertoire national"
        verbose_name_plural = "activités au répertoire national"
        ordering = ["search_name", "id"]
        indexes = [
            models.Index(fields=["identifier"], name="national_identifier"),
            models.Index(fields=["search_name", "id"], name="national_name"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.national_id})"

    def extract_values(self) -> dict[str, str]:
        return {field: getattr(self, field) for field in STORED_FIELDS}
