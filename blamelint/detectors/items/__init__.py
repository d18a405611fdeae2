"""Follow-up items and the dates and owners in them, as the `followup` rules, the template checks
and the archive report all read them (no detector is registered here).

- `dates` — calendar dates and vague date terms in text, the incident's date, an item's due date;
- `owners` — an item's owner;
- `collect` — which blocks are follow-up items (`collect_items` in a lint, `document_items` outside one).
"""

from blamelint.detectors.items.collect import Item, collect_items, document_items, followup_regions
from blamelint.detectors.items.dates import VAGUE_DATE_RE, DateMatch, document_date, find_dates, find_due
from blamelint.detectors.items.owners import OWNER_FIELD_RE, Owner, find_owner

__all__ = [
    "OWNER_FIELD_RE", "VAGUE_DATE_RE", "DateMatch", "Item", "Owner", "collect_items", "document_date",
    "document_items", "find_dates", "find_due", "find_owner", "followup_regions",
]
