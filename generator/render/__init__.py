"""The render stage: Markdown, URLs, indexes, views, page plans, the theme, filling templates, writing."""
