"""Every write a user can cause in contracts, disbursement and servicing (one module each)."""
