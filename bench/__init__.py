"""Instruments that measure Hechting: a gunicorn server as in production, seeding, load, tables.

`make bench` runs ``python -m bench.run``; tests/test_concurrency.py starts the same server.
"""
