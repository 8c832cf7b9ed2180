"""The content stage: site.yaml, YAML and text reading, loading sources, validation, the model."""
