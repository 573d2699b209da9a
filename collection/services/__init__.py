"""Collections (催收): every write a user can cause on a case, as one atomic function each.

``cases`` actions, promises and demand letters; ``claims`` insurance claims; ``legal``
lawsuits through judgment and enforcement; ``writeoff`` the write-off (核销) request and its
decisions; ``recoveries`` money after write-off. ``access`` holds who may do what.
"""
