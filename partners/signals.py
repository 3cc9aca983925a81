"""Keep a user's partner groups in step with its memberships, however the membership was saved
(services, the admin's inline, a factory): the groups carry every object permission."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from partners import access
from partners.models import Membership


@receiver(post_save, sender=Membership, dispatch_uid="partners.membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="partners.membership_deleted")
def membership_changed(sender, instance, **kwargs):
    access.sync_user_groups(instance.user)
