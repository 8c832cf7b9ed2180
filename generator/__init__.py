"""dangjian: a static site generator for party-building publicity (机关党建宣传).

Glossary, used the same way in code, templates and docs:

- story: one Markdown file (or bundle folder with ``index.md``) under ``content/<kind folder>/``.
- kind: what a story is, taken from its folder: branch (示范党支部), post (党员示范岗),
  case (帮扶案例).
- unit: the organ or department a story belongs to (单位), from ``content/units.yaml``.
- activities: the activity themes (活动主题) a story takes part in, from
  ``content/activities.yaml``. The word *theme* means only the visual theme in ``themes/``.
- page: a standalone page from ``content/pages/``.
- problem: one thing wrong with the sources, reported as ``path:line: error: message (hint)``.
"""

__version__ = "0.1.0"
