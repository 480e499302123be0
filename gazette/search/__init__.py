"""Search: the Pagefind index of the built article pages, made in shards and updated by parts."""
