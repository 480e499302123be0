"""Search: the Pagefind index of the built article pages, made in shards and updated by parts
(`index`), what of it a site publishes (`assets`), and what Pagefind reads of a page (`stories`)."""
