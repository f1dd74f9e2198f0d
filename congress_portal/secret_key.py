"""Whether a production SECRET_KEY is random enough to sign sessions and CSRF tokens.

Length alone lets ``'x' * 60`` through. A key is refused when it is short (under 50
characters, as Django's own deployment check), when its characters carry little
information (Shannon entropy under 128 bits over the whole key: one repeated
character carries none), or when it is one shorter string repeated (``'abcdefghij' * 6``).
A key from ``get_random_secret_key()``, ``secrets.token_urlsafe(50)`` or
``openssl rand -hex 32`` passes.
"""

from __future__ import annotations

import math
from collections import Counter

MIN_LENGTH = 50
MIN_BITS = 128


def entropy_bits(key: str) -> float:
    """The key's length times the Shannon entropy of its characters, in bits."""
    counts = Counter(key)
    per_char = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    return per_char * len(key)


def weakness(key: str) -> str | None:
    """Why ``key`` will not do, or None when it will."""
    if not key or key.startswith("django-insecure"):
        return "it is missing or Django's insecure placeholder"
    if len(key) < MIN_LENGTH:
        return f"it has {len(key)} characters, fewer than {MIN_LENGTH}"
    if key in (key + key)[1:-1]:
        return "it is a shorter string repeated"
    if entropy_bits(key) < MIN_BITS:
        return "its characters are too few and too repeated to be random"
    return None
