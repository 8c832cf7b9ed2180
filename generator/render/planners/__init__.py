"""The page planners: one module per kind of page, and the one list of them (``PLANNERS``).

Each planner module has ``specs(site, indexes)``, the groups of pages it plans in page
order, and ``GROUPS``, how to plan each kind of group it names (see ``plans.Made``). Adding
a kind of page is one new module here plus one line in ``PLANNERS`` (``docs/design.md``).
The sitemap is planned last, from all the others (``plan``); search files by ``search.plan``.
"""

from __future__ import annotations

from generator.render.planners import activities, archive, feed, home, kinds, not_found, single_pages, units

PLANNERS = (home, kinds, units, activities, archive, single_pages, feed, not_found)
"""Every page planner, in page order (the order of the sitemap and of the build's plans)."""
