"""web stage (R-WEB-1..2): the server-rendered pages - the municipality portal, the staff
pages, the public pages - their Jinja2 templates, CSS and Danish wording (`danish`). May
import `accounts`, `api`, `approval`, `intake`, `register`, `tables`, `release`,
`dissemination`, `docs_content`, `stores`, `reference`, `app`, `audit`, `clock`, `errors`,
`formula`. Imported by `api` (routers, templates), `approval` and `release` (`danish`, staff
forms), `dissemination` (templates) and the CLI; never by `accounts` or the domain stages."""
