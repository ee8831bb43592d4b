"""The web page: `bgtc serve` at `/`, for sponsors who do not use a terminal.

Server-rendered pages (Jinja2 templates, autoescape) and plain HTML forms on the library calls the
command line makes, showing what the existing renderers write (the HTML report, the draft HTML).
The dossier travels with the page; the server keeps nothing at rest. `routes` wires the pages to
the service (its rule base, settings and limits); `forms` reads a post and the dossier it carries;
`start_pages`, `interview_page` and `assessment_pages` build the pages; `embed` takes a renderer's
page apart to show it inside one; `layout` holds the templates, the answers and the static files.
"""
