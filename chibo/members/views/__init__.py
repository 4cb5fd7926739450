"""Pages of member records: the records themselves, transfers, and who holds which role on
a unit (the Access page, where accounts are created and linked to member records)."""
