import datetime as dt
import itertools

from conversations.models import Conversation, Listing, Message, PlatformAccount
from leasebot import clock

_seq = itertools.count(1)


def make_account(platform="spareroom", **fields):
    n = next(_seq)
    fields.setdefault("name", f"{platform}-account-{n}")
    return PlatformAccount.objects.create(platform=platform, **fields)


def make_listing(account, *, unit=None, title=None, **fields):
    n = next(_seq)
    return Listing.objects.create(
        account=account, unit=unit, title=title or f"Sunny room {n}", external_listing_id=fields.pop("external_listing_id", f"L{n}"),
        rent_cents=fields.pop("rent_cents", 142500), **fields,
    )


def make_conversation(account=None, *, agent=None, unit=None, listing=None, **fields):
    account = account or make_account()
    n = next(_seq)
    return Conversation.objects.create(
        account=account, external_thread_id=fields.pop("external_thread_id", f"T{n}"), assigned_agent=agent, unit=unit,
        listing=listing, lead_name=fields.pop("lead_name", f"Lead {n}"), thread_label=fields.pop("thread_label", f"Room {n}"),
        linkage=Conversation.Linkage.RESOLVED if unit else Conversation.Linkage.UNRESOLVED, **fields,
    )


def make_inbound(conv, body="Is the room still available?", *, minutes_ago=5, **fields):
    n = next(_seq)
    return Message.objects.create(
        conversation=conv, direction="inbound", sender="lead", body=body, status="received",
        external_message_id=fields.pop("external_message_id", f"M{n}"),
        sent_at=clock.now() - dt.timedelta(minutes=minutes_ago), **fields,
    )


def make_draft(conv, body="Hi! The room is available. Would Saturday at 10 work?"):
    return Message.objects.create(conversation=conv, direction="outbound", sender="ai", body=body, status="draft")
