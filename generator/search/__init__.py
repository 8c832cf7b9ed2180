"""Full-text search: tokens, postings, the index and its shards, and the planning of search files."""
