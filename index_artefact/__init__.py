"""The index artefact: the one format the catalog builder writes and the servers read.

    layout       the build directories, `current`, the manifest and atomic publishing
    tables       the SQLite schema of products and variants
    vectors      the FAISS index kinds and the float16 codes the exact plan scores
    model_files  which embedding model a build used, its weights checked by SHA-256 (stdlib only:
                 the Rasa venv imports it)
    encoder      loading that model and embedding text (sentence-transformers)

`catalog_index` (build) and `recommender` (serve) both import this package and never each
other, so the format changes in one place.
"""
