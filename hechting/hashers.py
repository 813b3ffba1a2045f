"""Password hashing: Argon2id with parameters sized for a small server.

Django's default Argon2 hasher uses 100 MiB per hash. Ten people logging in at the same moment
would then need about 1 GB for hashing alone, which is all a small self-hosted server has.
We follow OWASP's Password Storage Cheat Sheet (first Argon2id option): 19 MiB of memory,
2 iterations, 1 lane. Ten parallel logins then use about 190 MiB, and one hash takes roughly
30-60 ms on a modest CPU, which keeps offline guessing expensive.

Changing these numbers is safe: Django re-hashes a password with the new parameters at the
next successful login (``must_update``).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher

ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_ITERATIONS = 2
ARGON2_LANES = 1


class HechtingArgon2PasswordHasher(Argon2PasswordHasher):
    memory_cost = ARGON2_MEMORY_KIB
    time_cost = ARGON2_ITERATIONS
    parallelism = ARGON2_LANES
