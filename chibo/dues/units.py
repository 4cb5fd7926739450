"""What party dues add to the unit page (chibo.org.hooks). The hub imports `<app>.units` of
each installed app, and chibo.dues is the app: the links of the ledger and of its remittance
package (chibo.dues.remittance.units) are registered from this one module."""

from .remittance import units as remittance_units  # noqa: F401  (registers its links)
