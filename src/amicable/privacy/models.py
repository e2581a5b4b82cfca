"""The privacy app's one table: who among the staff opened which debtor's file, and when.

The file page and the documents of a file hold a debtor's personal data; each time a member of
staff opens one, a row is written (one insert per request), so that the compliance officer can
answer "who looked at my file?" (GDPR art. 15(1)(c), the recipients of the data) and find a
look without a reason. The rows go with the file's personal data when its retention period ends
(:mod:`amicable.privacy.retention`).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from amicable.files.models import Document, File


class FileRead(models.Model):
    """One look of a member of staff at a debtor's file page or at one of its documents."""

    #: The staff member, as the timeline names them (``staff:<user name>``).
    actor = models.CharField(max_length=100)
    # Indexed by file_read_file_idx (file, id).
    file = models.ForeignKey(File, on_delete=models.PROTECT, related_name="+", db_index=False)
    #: The document opened; empty for the file page.
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["actor", "id"], name="file_read_actor_idx"),
            models.Index(fields=["file", "id"], name="file_read_file_idx"),
            models.Index(fields=["at"], name="file_read_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} read file {self.file_id} at {self.at:%Y-%m-%d %H:%M}"
