"""Settings for ``makemessages`` run inside one app (scripts/makemessages.sh).

With the project's LOCALE_PATHS set, makemessages files every string under the
project-level catalogue, even when run from an app's folder. Without it, each app's
strings stay in that app's own ``locale/``.
"""

from congress_portal.settings import *  # noqa: F403

LOCALE_PATHS: list = []
