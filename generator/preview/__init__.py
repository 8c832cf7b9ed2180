"""``dangjian serve``: the preview server, the file watcher, rebuilds on save."""
