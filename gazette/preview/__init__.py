"""The live preview (`gazette serve`): `watch` notices edits, `server` rebuilds and tells open
pages, `status` is the state pages follow and what is added to them (`livereload.js`, the error
overlay), `routing` maps a request to a file of the output (pure), `http` answers requests."""
