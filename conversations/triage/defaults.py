"""The reply templates and reply rules lease-bot starts with (installed by a data migration, editable in admin).

Templates state facts from the listing only ({{rent}}, {{available_on}}, ...); a template whose facts
are missing for a conversation is not sent (the pipeline hands the conversation to a human).
`install(ReplyTemplate, ReplyRule)` takes the model classes so the migration can pass its historical ones.
"""

TEMPLATES = {
    "offer_slots": (
        "Hi {{lead_name}}, thanks for your interest in {{listing_title}}! I can show it to you at any of these "
        "times:\n{{slots}}\nJust reply with the one that suits you."
    ),
    "availability_answer": (
        "Hi {{lead_name}}, yes, {{listing_title}} is still available. Would you like to see it? I can show it "
        "at:\n{{slots}}\nJust reply with the time that suits you."
    ),
    "confirm_showing": (
        "Great, you're booked to see {{listing_title}} on {{showing_time}} with {{agent_name}}. If your plans "
        "change, just reply here and we'll find another time."
    ),
    "slot_taken": (
        "Sorry {{lead_name}}, that time was just taken. These times are still open:\n{{slots}}\n"
        "Which one works for you?"
    ),
    "reschedule_offer": (
        "No problem, {{lead_name}}. Here are some other times to see {{listing_title}}:\n{{slots}}\n"
        "Which one works for you?"
    ),
    "ask_preferred_times": (
        "Hi {{lead_name}}, thanks for your interest in {{listing_title}}! Which days and times would suit you "
        "for a viewing? We'll find a time that works."
    ),
    "not_interested_ack": "Thanks for letting us know, {{lead_name}}. Good luck with your search!",
    "pricing_answer": (
        "Hi {{lead_name}}, the rent for {{listing_title}} is {{rent}} per month. Would you like to come and see "
        "it? Just tell me which days and times suit you."
    ),
    "showing_reminder": (
        "Hi {{lead_name}}, a reminder that your viewing of {{listing_title}} is on {{showing_time}} with "
        "{{agent_name}}. Please reply to confirm you're still coming, or tell us if you need another time."
    ),
}

# Intents that may be answered automatically, and the template each answers with. Application
# questions, "other" and opt-outs have no rule: a human answers those.
RULES = {
    "tour_request": "offer_slots",
    "availability_question": "availability_answer",
    "pricing_question": "pricing_answer",
    "confirm_slot": "confirm_showing",
    "reschedule": "reschedule_offer",
    "not_interested": "not_interested_ack",
}


def install(template_model, rule_model):
    """Create the global defaults that are missing; never overwrite an admin's edits."""
    templates = {}
    for name, body in TEMPLATES.items():
        templates[name], _ = template_model.objects.get_or_create(
            name=name, locale="en", account=None, defaults={"body": body}
        )
    for intent, template_name in RULES.items():
        rule_model.objects.get_or_create(
            intent=intent, account=None, defaults={"template": templates[template_name], "auto_reply": True}
        )


def uninstall(template_model, rule_model):
    rule_model.objects.filter(account=None, intent__in=list(RULES)).delete()
    template_model.objects.filter(account=None, locale="en", name__in=list(TEMPLATES), rules__isnull=True).delete()
