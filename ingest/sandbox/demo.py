"""Demo content for the sandbox: fixed listings per platform and a trickle of realistic lead messages.

DEMO_LISTINGS is importable so the demo seed can create matching lease-bot listings (same external ids).
"""

import logging
import random
import threading

logger = logging.getLogger(__name__)

DEMO_LISTINGS = {
    "spareroom": [("SR4471", "Sunny double room in Astoria, 5 min to N/W", "$1,250/mo"),
                  ("SR4472", "Quiet room in Park Slope brownstone", "$1,400/mo")],
    "roomies": [("cr-8812", "Private room in 3BR Bushwick loft", "$1,150/mo"),
                ("cr-8813", "Furnished room near Prospect Park", "$1,300/mo")],
    "leasebreak": [("LB20931", "Lease break: 1BR in Long Island City", "$2,650/mo"),
                   ("LB20932", "Short-term studio in Chelsea", "$2,900/mo")],
    "renthop": [("RH77310", "Renovated 2BR in Astoria, laundry in unit", "$3,100/mo"),
                ("RH77311", "Bright studio in Williamsburg", "$2,450/mo")],
    "furnishedfinder": [("FF5520", "Furnished 1BR near the hospital, travel nurses welcome", "$2,200/mo"),
                        ("FF5521", "Cozy furnished studio, 3-month minimum", "$1,850/mo")],
}

LEAD_NAMES = ["Maya Ortiz", "Daniel Kim", "Priya Shah", "Tom Becker", "Aisha Bello", "Lucas Moreau", "Hannah Lee",
              "Marcus Green", "Sofia Rossi", "Ethan Wright", "Nora Haddad", "Kenji Sato"]
OPENERS = [
    "Hi! Is the room still available? I'd love to see it this week.",
    "Hello, I'm interested in this place. Could I schedule a viewing on Thursday after 6pm?",
    "Hi there, is it still available from the 1st? What days can I come by?",
    "Hey! Are viewings possible this weekend? Saturday morning would be ideal.",
    "Good afternoon, I'm a travel nurse starting a 13-week contract. Is the unit free next month?",
    "Hi, is the rent negotiable and are utilities included? I'd like to see it.",
    "Hello! Can I come see the room tomorrow around 5:30pm?",
]
# Answers to our last message when it offered times: the demo then shows a booking being made.
PICKS = ["The first one works for me, thanks!", "Option 2 please.", "I'll take the first time you offered."]
# Messages a person must handle: the demo's Needs-human queue fills with these.
RISKY = [
    "Is the rent negotiable? I could pay $200 less and sign today.",
    "Are kids ok? My daughter is 5.",
    "Do you take Section 8 vouchers?",
]
FOLLOW_UPS = [
    "Also, are pets allowed? I have a small cat.",
    "Thursday at 6:30pm works for me.",
    "Is there laundry in the building?",
    "Could we do Saturday at 11am instead?",
    "Thanks! What's the deposit?",
]


def seed(platforms):
    """Put the demo listings (and one waiting lead) on every platform. `platforms`: name -> PlatformState
    or RemotePlatform."""
    for name, target in platforms.items():
        for listing_id, title, price in DEMO_LISTINGS[name]:
            target.add_listing(title, listing_id=listing_id, price=price)
        target.add_lead_message(OPENERS[0], lead_name=LEAD_NAMES[0], listing_id=DEMO_LISTINGS[name][0][0])


def trickle_once(platforms, rng=None):
    """One realistic lead message: usually a new lead on a listing, sometimes a follow-up in a thread.
    Returns (platform, thread_id, message_id, body)."""
    rng = rng or random.Random()
    name = rng.choice(sorted(platforms))
    target = platforms[name]
    threads = target.snapshot()["threads"]
    answered = [t for t in threads if t["messages"] and t["messages"][-1]["direction"] == "outbound"]
    roll = rng.random()
    if answered and roll < 0.45:
        thread = rng.choice(answered)
        body = rng.choice(PICKS)
        thread_id, message_id = target.add_lead_message(body, thread_id=thread["id"])
    elif roll > 0.85:
        body = rng.choice(RISKY)
        listing_id = rng.choice(DEMO_LISTINGS[name])[0]
        thread_id, message_id = target.add_lead_message(body, lead_name=rng.choice(LEAD_NAMES), listing_id=listing_id)
    elif threads and roll < 0.6:
        thread = rng.choice(threads)
        body = rng.choice(FOLLOW_UPS)
        thread_id, message_id = target.add_lead_message(body, thread_id=thread["id"])
    else:
        body = rng.choice(OPENERS)
        listing_id = rng.choice(DEMO_LISTINGS[name])[0]
        thread_id, message_id = target.add_lead_message(body, lead_name=rng.choice(LEAD_NAMES), listing_id=listing_id)
    return name, thread_id, message_id, body


def run_trickle(platforms, *, interval, stop=None, count=None, rng=None):
    """Add a lead message every `interval` seconds (±30%) until `stop` is set or `count` were added."""
    stop = stop or threading.Event()
    rng = rng or random.Random()
    added = 0
    while not stop.is_set() and (count is None or added < count):
        if stop.wait(interval * rng.uniform(0.7, 1.3)):
            break
        name, thread_id, _, body = trickle_once(platforms, rng)
        added += 1
        logger.info("sandbox trickle: %s thread %s: %s", name, thread_id, body[:60])
    return added
