"""Privacy of persona datasets: anonymisation (salted ids, scrubbed text), personal data found
by pattern and by name (pii, matcher), and takedowns (`somekit persona remove`, Jetstream account
deletions) that stream through every file of a workspace (takedown, scan, linefile, sqlite_purge,
deletions). The `nap` builder lives in builders/tasks/nap.py, its BluePrint layout in publish/.
"""

from ..errors import PersonaError
