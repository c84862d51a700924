"""The shop database: carts and orders, through SQLAlchemy.

SQLite by default (`var/omnishop.db`); set DATABASE_URL (e.g. postgresql://...) for PostgreSQL.
Prices are never stored from a client: cart lines hold only variant ids and quantities, and
an order's prices are taken from the catalog by the server at the moment it is placed.
"""
