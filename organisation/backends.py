from django.contrib.auth.backends import ModelBackend

from organisation.models import User


class ScopedUserBackend(ModelBackend):
    """Load the signed-in user with their scope (region, unit) in the same query.

    Every request of a secretary or unit contact filters by that scope, so fetching it
    with the user saves a query on every page.
    """

    def get_user(self, user_id):
        user = User.objects.select_related("region", "unit").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
