"""The archive's writes: one module per part (items, custody, borrowing, retention)."""
