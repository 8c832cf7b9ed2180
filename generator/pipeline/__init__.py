"""The build pipeline and its strategies (modes), and the story pass of a fresh build."""
