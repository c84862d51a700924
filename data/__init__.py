"""Demo data shipped with Omnishop (not product code): see data/demo_catalog/README.md."""
