"""Forms of the caseworker's pages: the queue's filters and search, the case actions, the upload."""
