"""What the remittance of dues adds to the unit page (chibo.org.hooks), imported by
chibo.dues.units (the hub discovers the app's module, not this package's)."""
