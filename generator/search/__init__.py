"""Full-text search: tokens, postings, the index and its shards, and the planning of search files.

Modules, each importing only modules listed above it:

- ``tokens``: the tokens of a story's text (folding, pairs of Han characters).
- ``shards``: which shard file a token is stored in (FNV-1a, as search.js computes it).
- ``query``: the terms of a query, and the reference answer the browser must give.
- ``files``: the layout of the files the browser loads, and how postings are written in them.
- ``postings``: the postings of runs of stories, built a story at a time and merged by shard.
- ``index``: the inverted index, kept between builds and patched for changed stories.
- ``plan``: the search page and data files as plans of the build.
"""
