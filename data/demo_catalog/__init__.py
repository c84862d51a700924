"""The demo catalog and its generator (`python -m data.demo_catalog.generate_feed`)."""
