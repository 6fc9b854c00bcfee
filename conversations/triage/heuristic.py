"""The default triage provider: offline, deterministic rules about leasing language.

`classify(triage_input) -> Decision`. The rules are applied in the policy's order, each a question
about the message as a whole (its constructions, not particular sentences):

1. the lead opts out (STOP, unsubscribe, do not contact)            -> unsubscribe, ends the thread
2. an inbound risk flag that must reach a human                     -> human (risk_<flag>)
3. confusion ("what?", "I never messaged")                          -> human
4. price negotiation; lease terms the listing does not state        -> human
5. not interested / found another place                             -> not_interested
6. asks for other times, or cannot make the offered/booked ones     -> wants_reschedule
7. picks one of the offered slots (natural language, the thread's tz) -> confirm_slot / showing_confirmed
8. affirms a booked showing ("see you Sunday!")                     -> showing_confirmed
9. vague or ambiguous answer to an offer ("maybe", "either")        -> human
10. pricing / application / availability / tour interest           -> answered automatically
11. anything else                                                   -> low confidence -> human

Anything the rules do not recognise falls to rule 11, so an unusual sensitive message reaches a
human rather than an automatic answer.
"""

import re
from dataclasses import dataclass

from guardrails.inbound import OPT_OUT, assess_inbound, own_lines, prepare

from . import reasons as rc
from . import types as t
from .slotchoice import choose_slot

DEFAULT_CONFIDENCE_THRESHOLD = 0.5
MAX_CHARS = 4000  # intent rules read the head of a message; risk flags read all of it

_FLAG_RISK = {
    "emergency": t.RISK_CRITICAL,
    "threat_or_abuse": t.RISK_HIGH,
    "legal": t.RISK_HIGH,
    "prompt_injection": t.RISK_HIGH,
    "scam_signal": t.RISK_HIGH,
    "payment_or_pii": t.RISK_HIGH,
    "accommodation_request": t.RISK_MEDIUM,
    "voucher_question": t.RISK_MEDIUM,
    "fair_housing_topic": t.RISK_MEDIUM,
}
_RISK_RANK = {level: rank for rank, level in enumerate(t.RISK_LEVELS)}


def _rx(pattern):
    return re.compile(pattern, re.IGNORECASE)


_MONEY = r"(?:[$£€] ?\d[\d,.]*k?|\d{1,2},\d{3}|\d{3,5}(?! ?(?:am|pm|a\.m|p\.m|ave|st\b|street))|\d+(?:\.\d)?k\b)"

_CONFUSED_ALONE = _rx(
    r"^(?:what|wat|wut|huh|eh|excuse me|sorry|pardon|who|what is this|what's this|who is this|who's this"
    r"|who are you|wrong number|\?+|hello\?+|come again)[\s?!.]*$"
)
_CONFUSED = _rx(
    r"\b(?:i (?:never|didn'?t|did not|have not|haven'?t) (?:\w+ )?(?:message|messaged|contact|contacted|ask|asked"
    r"|inquire|inquired|enquired|reach|reached|send|sent|apply|applied|write|wrote|text|texted|request|requested"
    r"|sign|signed|respond|responded|book|booked)|wrong (?:number|person|guy|girl|lady|contact)|who (?:is|are) (?:this|you)\b"
    r"|what (?:is|are) (?:this|you) (?:about|talking about)|what are you talking about|what do you mean"
    r"|i don'?t (?:understand|get it|know what (?:this|you)|know who)|(?:i'?m|i am|so) confused|makes no sense"
    r"|how did you get my (?:number|email|contact)|do i know you|never heard of (?:you|this)"
    r"|(?:don'?t|do not|can'?t|cannot) (?:remember|recall) (?:ever )?(?:contacting|messaging|writing|reaching out|asking|signing up|applying)"
    r"|(?:which|what) (?:listing|apartment|room|place|property) (?:is this|are you talking about))"
)
# What a lead calls the rent when bargaining ("any flexibility on the monthly?").
_PRICE_NOUN = r"(?:rent|price|pricing|cost|monthly|monthly (?:rent|price|payment)|amount|rate|asking(?: price)?|number|figure)"
# Who could accept an offer: the bot, the owner, "they".
_OFFEREE = (
    r"(?:you|the (?:owner|landlord|landlady|lady|guy|management|manager|property manager|seller|owners)|they|he|she)"
)
_NEGOTIATION = _rx(
    r"\b(?:negotia\w*(?! (?:over |about |the |on |who gets )?(?:fridge|shelf|shelves|space|chores?|bins?|bathroom|kitchen"
    r"|cleaning|rota|schedule|parking spot|who|which|house ?rules|the remote))|discount\w*|cheaper|haggle|lower (?:the )?" + _PRICE_NOUN + r"|(?:go|come|bring it) (?:down|lower)"
    r"|knock (?:\S+ ){0,3}?off|lowest (?:you|price|rent|possible|amount|offer)|(?:what'?s|what is) (?:the )?(?:lowest|best) (?:you|price|rent)"
    r"|(?:reduce|drop|lower|cut) (?:the )?(?:" + _PRICE_NOUN + r"|deposit)"
    r"|flexib\w* (?:on|with|about|in) (?:the )?" + _PRICE_NOUN + r"|(?:rent|price) (?:is |be )?(?:flexible|firm)"
    r"|wiggle room|best (?:price|you can do|rate)|(?:(?:would|will|could|can|do|does|might|is|are) " + _OFFEREE
    + r"|you (?:would|will|could|can|might)) (?:guys )?(?:be )?(?:able to |willing to )?(?:take|accept|do|consider"
    r"|settle for|go for|work with|open to|go (?:down )?to) " + _MONEY + r"|(?:offer|pay|give you) " + _MONEY + r"(?! (?:upfront|up front|deposit))"
    r"|(?:kindly |please |would you |could you |can you )?consider (?:a |an |offering |an offer of )?" + _MONEY
    + r"|(?:rent|price) is (?:a bit |slightly |rather |quite )?(?:on the )?(?:high|higher|steep|steeper)(?: side)?"
    r"|instead of " + _MONEY + r"|(?:how|what) about (?:if i (?:pay|offer) )?" + _MONEY + r"|" + _MONEY + r" instead|(?:(?:a |any )?(?:deal|concession|special)|(?:a|any) break) on"
    r"|price match|(?:can|could|would|will) (?:you|they|the owner) (?:\w+ )?match (?:that|it|this|their|the|his|her)"
    r"|waive (?:the )?(?:fee|deposit|broker|application)|free (?:month|rent|week)"
    r"|less than (?:the )?(?:asking|listed|" + _MONEY + r")|for less|below (?:asking|the asking))\b"
)
# How to pay (method or channel), as opposed to how much: payment details go to a human.
_PAYMENT_METHOD = _rx(
    r"\b(?:(?:do|will|would|can|could) you (?:take|accept|do)|can i (?:pay|send|transfer)|(?:how|where) (?:do|can|should|would) i"
    r" (?:pay|send|transfer|wire|mail|drop off)|(?:what|which) (?:account|address|handle|email|number|app|method) (?:\w+ )?"
    r"(?:should|do|can|would|shall) (?:i|we) (?:send|pay|transfer|wire|use)|how (?:do|can|should|would) i"
    r" (?:pay|send|transfer)|(?:pay|paying|send|sending|transfer|transferring)(?: \w+){0,3} (?:by|via|with|through|using|over"
    r"|online|electronically))\b(?=.*\b(?:deposit|rent|fee|fees|payment|pay|first month|holding)\b)"
)
# Details about other applicants, tenants or the owner are personal data a bot never hands out.
_OTHERS_PERSONAL = _rx(
    r"\b(?:who (?:else )?(?:has )?(?:applied|is applying|are applying)|(?:other|previous|current|last) (?:applicants?|tenants?"
    r"|renters?)(?:'s?)? (?:names?|numbers?|phone|emails?|details|info|contact)|(?:owner|landlord)'?s? (?:personal |cell |home )?"
    r"(?:phone|number|email|address|cell)|(?:tell|give|send|show) me (?:\w+ ){0,3}(?:other|else'?s?|previous) (?:applicants?|tenants?"
    r"|people'?s?))"
)
_RELATIVE = (
    r"(?:boyfriend|girlfriend|partner|husband|wife|spouse|fianc\w*|friend|sister|brother|cousin|mom|mother"
    r"|dad|father|parents?|roommate|someone|another person|relative)"
)
_LEASE_TERMS = _rx(
    r"\b(?:sub-?let\w*|sub-?leas\w*|corporate (?:lease|housing|rental|tenant)|(?:company|employer|business|firm|corporation|llc"
    r"|hospital|university|school|agency|organi[sz]ation|nonprofit|non-profit|clinic|practice|studio|department|program)(?:'s)? (?:\w+ ){0,3}?(?:name|lease|sign|signs"
    r"|signing|pay|pays|paying|rent|rents|cover|covers)|(?:lease|contract) (?:in|under) (?:my |our |the )?(?:company|business|employer|llc)"
    r"|guarantor\w*|co-?signer\w*|co-?sign\b|month[- ]to[- ]month|short[- ]term|shorter (?:lease|term|stay)"
    r"|longer lease|(?:\d{1,2}|two|three|four|five|six|nine|eighteen)[- ]months? (?:lease|term|stay|contract|only)"
    r"|(?:\d|one|two|three|multi)[- ]?years? (?:lease|term|contract)|multi-?year"
    r"|(?:shorter|less) than (?:a|one|1|12|twelve) (?:full )?(?:year|months)"
    r"|(?:sign|lease|commit)(?:ing)? (?:it |the (?:place|room|apartment|unit|house) )?for (?:only |just |about )?"
    r"(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|eighteen|a few|several) (?:months?|years?)"
    r"|(?:break|terminate|end|get out of) (?:the |my )?lease|early termination|lease (?:length|term|terms|duration)"
    r"|how long is the lease|(?:add|adding) (?:a |another |my )?(?:roommate|person|occupant|tenant|name|" + _RELATIVE + r")"
    r"|" + _RELATIVE + r" (?:to |could |can |would |will )?(?:move|moves|moving|stay|stays|staying|live|lives|living)"
    r" (?:in|with)|(?:move|moving|stay|staying|live|living) (?:in )?with (?:me|us)|overnight guests?|extra (?:person|occupant)"
    r"|pets?\b|dogs?\b|cats?\b|pupp(?:y|ies)|kittens?|smok\w*|vap(?:e|ing)|airbnb|rent (?:it|the room|the place) out"
    r"|(?:early|earlier|later|delayed|different|flexible) (?:move[- ]in|start|lease start)"
    r"|move[- ]in (?:date )?(?:\w+ ){0,3}?(?:earlier|later|sooner|instead|flexib\w*|chang\w*|push\w*|mov\w*|shift\w*"
    r"|delay\w*|extend\w*|different)|(?:push|chang|mov|shift|delay|extend)\w* (?:the |my |our )?move[- ]in"
    r"|(?:move|moving) in (?:\w+ ){0,3}?(?:early|earlier|late|later|sooner|before the)\b|(?:keys|occupancy|possession) early"
    r"|(?:start|begin) (?:the |my )?lease (?:on|in|at|earlier|later|from)|hold (?:the room|the place|it|the unit) (?:until|till|for)"
    r"|(?:pay|paying) (?:\w+ ){0,3}(?:upfront|up front|in advance) (?:instead of|rather than|to (?:avoid|skip))"
    r"|instead of (?:a |the |doing a |doing the )?(?:credit|background) check|(?:skip|avoid|waive) (?:the )?(?:credit|background) check"
    r"|(?:paint|renovat|remodel)\w*)\b"
)
_MOVE_IN_DATE = _rx(
    r"\b(?:move[- ]?in|moving in|start(?:ing)? (?:the )?lease|take (?:occupancy|possession)|lease start)\b(?: \w+){0,4}? "
    r"(?:on |by |around |from |for |in |at |to |until |till )?(?:the )?("
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?!\d)"
    r"|\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*|\d{1,2}/\d{1,2}"
    r"|(?:mid|middle of|late|end of|early|beginning of|start of)[- ]?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
    r"|(?:january|february|march|april|june|july|august|september|october|november|december))\b"
)
_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
           "nov": 11, "dec": 12}  # fmt: skip
_NOT_INTERESTED = _rx(
    r"\b(?:(?:not|no longer|n'?t|nt) (?:really |that |very |too |at all |even )?interested"
    r"|found (?:a |another |something|somewhere|a different |my |the |an? other )(?:\w+ )?(?:place|room|apartment|flat|home"
    r"|unit|spot|one|else|rental|house|studio)?|found (?:a )?(?:place|room|apartment|flat|home)"
    r"|(?:took|taking|rented|signed (?:for|on)|chose|picked|going with|went with|decided on|settled on|accepted|got)"
    r" (?:a |another |an |the other |a different |something |somewhere |one )(?:\w+ )?(?:place|room|apartment|flat|home|unit"
    r"|offer|lease|one|option|else|listing|property|rental|house|studio|building)|hold(?:ing)? off|put (?:\w+ ){0,2}on hold"
    r"|not (?:quite )?what (?:i'?m|we'?re|i am|we are) (?:looking for|after)|decided not to move|renew\w* (?:my|our|the) (?:current )?lease"
    r"|stay\w* (?:in|at) (?:my|our) (?:current )?(?:place|apartment|home|flat)|but (?:i'?m|we'?re|i am|we are) all set|elsewhere"
    r"|(?:sign|leas|rent|commit|settl)\w* (?:a lease |the lease |on a place |for a place |a place )?(?:somewhere|someplace) else"
    r"|(?:i'?ll|i will|we'?ll|we will|going to|gonna|have to|i'?m going to|i think i'?ll|i'?d rather|i must|we must) pass"
    r"|pass(?:ing)? on (?:this|it|the|that)|(?:i'?ll|we'?ll|i will|we will) be passing"
    r"|no longer (?:(?:looking|searching)(?! (?:anywhere|elsewhere|at (?:other|any)|around|further))|need|needed|available|moving|in the market)"
    r"|(?:finali[sz]ed|secured|confirmed|booked|taken|chosen) (?:a |an |another |other |a different )(?:\w+ )?(?:accommodation|place|room|flat|apartment|property|option|house)"
    r"|(?:do not|don'?t|please don'?t) consider my (?:request|application|enquiry|inquiry)|withdraw\w* my (?:request|application|enquiry|inquiry)"
    r"|lost (?:all |my |our )?interest|(?:^|(?<=[.!?] ))pass[.!]*$"
    r"|(?:don'?t|do not|no longer) (?:need|want) (?:it|the room|the apartment|the place|the unit)\b(?! to\b)"
    r"|(?:don'?t|do not) want to see it|no longer (?:need|want) to see it"
    r"|decided to (?!(?:see|view|visit|come|book|tour|go ahead|apply|take it|rent it|do|make|move|push|switch|change)\b)"
    r"\w+(?: \w+){0,4} instead\b"
    r"|changed (?:my|our) minds?|decided (?:against|not to|to stay|to go (?:with|elsewhere))|not (?:for (?:me|us)|a (?:good )?fit"
    r"|the right fit)|(?:isn'?t|is not|won'?t|will not|doesn'?t) (?:going to )?work (?:out )?for (?:me|us)"
    r"|(?:no thanks|no thank you|thanks anyway|thank you anyway|thanks but no|good luck with|keep looking"
    r"|stay(?:ing)? where i am|staying put|renewed my lease|not moving|plans (?:have )?changed|won'?t be moving)"
    r"|(?:out of|over|above|beyond) (?:my|our) (?:budget|price range)|too (?:expensive|pricey|far|small) for (?:me|us)"
    r"|encontr[eéa]\w* (?:otr[oa]|un|una|algo|casa|lugar|depa\w*|apartamento|cuarto)|no me interesa|ya no (?:me interesa|busco"
    r"|estoy buscando|necesito)|ya (?:rent[eé]|firm[eé])"
    r"|(?:trouv[ée]|pris|lou[ée]) (?:un )?autre (?:appartement|logement|chambre|studio|endroit)|(?:ne suis |suis )?plus int[ée]ress[ée]"
    r"|pas int[ée]ress[ée]|(?:j'?ai |já )?(?:fechei|aluguei|encontrei|achei) (?:outro|outra|um|uma)|n[aã]o (?:tenho mais|estou mais|estou) interess\w*"
    r"|já n[aã]o (?:preciso|procuro|estou procurando))"
    r"|已经找到|找到(?:房子|地方|住处|房)了|不(?:需要|用)了|不感兴趣|没(?:有)?兴趣了"
)
# "not interested in the parking spot": the refusal names its own object, and that object is not the
# place itself, so interest elsewhere in the message still stands.
_LISTING_OBJECT = (
    r"(?:it|this|that|them|the (?:place|apartment|apt|room|unit|house|home|studio|flat|listing|property|rental|offer"
    r"|showing|viewing|tour)|this (?:\w+ )?(?:place|apartment|room|unit|house|home|studio|flat|listing|property|one)"
    r"|renting|moving|anymore|any more)\b"
)
_OWN_OBJECT = _rx(r"^ (?:in|on|about) (?!" + _LISTING_OBJECT + r")")
_CLAUSE_END = _rx(r"[,;.!?\n]| - |\b(?:but|only|just|though|however|although)\b")
# "Saturday doesn't work for us": a day or time is the subject, so it rules out a slot, not the place.
_TIME_SUBJECT = _rx(
    r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun|weekends?|mornings?|afternoons?|evenings?|nights?"
    r"|today|tonight|tomorrow|noon|\d(?: ?[ap]\.?m\.?)?|[ap]\.?m\.?|times?|days?|dates?|slots?|options?|either|neither"
    r"|none of (?:them|these|those))\W*$"
)
_CANCEL = _rx(r"\bcancel\w*\b")
# "no need to reschedule", "not looking to cancel": the change word is negated.
_NEGATED_CHANGE = _rx(
    r"\b(?:not|no need to|don'?t|do not|won'?t|never) (?:\w+ ){0,2}?(?:re-?schedul\w*|cancel\w*|change \w+|move \w+)"
)
_BUT = _rx(r"\b(?:but|although|though|however)\b")
_CANT_MAKE = (
    r"(?:can'?t|cannot|can not|won'?t|will not|not able to|unable to|not going to) (?:be able to )?(?:make|attend|come|do)"
    r" (?:it|that|those|these|any|the|then|this|our)"
)
_CANT_MAKE_RX = _rx(r"\b" + _CANT_MAKE + r"\b")
_RESCHEDULE = _rx(
    r"\b(?:re-?schedul\w*|postpon\w*|push (?:it|the \w+|our \w+|this|that|my \w+)? ?(?:back|out|later|to)"
    r"|(?:need|have|want|got) to (?:push|move|shift|bump|postpone) (?:it|this|that|the (?:viewing|showing|tour|appointment|visit))\b"
    r"|(?:can|could) (?:we|i|you) (?:move|shift|change|push|bump) (?:it|this|that|the (?:viewing|showing|tour|appointment|visit|time))\b"
    r"|otro d[ií]a|otra (?:hora|fecha)|cambiar (?:la |el )?(?:cita|hora|fecha|d[ií]a)|autre (?:jour|date|heure|cr[ée]neau|moment)"
    r"|aucun de ces|outro dia|outra (?:data|hora)|en semaine|entre semana"
    r"|(?:move|shift|bump|switch) (?:it|our|the|my|this|that)? ?(?:appointment|viewing|showing|tour|visit|time|meeting|slot)"
    r"|(?:move|shift|bump|switch|push) (?:it|this|that) (?:to|back|later|earlier|forward|up)"
    r"|(?:the )?week after|(?:i'?m|i am|we'?re|we are|i'?ll be|we'?ll be|i will be) (?:out of town|away|traveling|travelling)"
    r"|change (?:the|my|our) (?:time|day|date|appointment|viewing"
    r"|showing|tour|visit|slot)|(?:another|a different|other|some other|alternative|new|more) (?:day|time|date|slot|times"
    r"|days|dates|slots|options)|(?:an? |one |two |half an |a couple of |\d+ |a few )?(?:hours?|mins?|minutes|bit|little)"
    r" (?:later|earlier)|(?<!the )(?:later|earlier) (?:time|slot|in the day|that day|on that day|appointment|one)"
    r"|(?:make|do|have) it (?:a bit |a little )?(?:later|earlier)|something (?:else )?(?:came|has come|just came) up"
    r"|" + _CANT_MAKE + r"|(?:none|neither) of (?:these|those|them|the|your)"
    r"|(?:these|those|they|the times) (?:all )?(?:don'?t|do not|won'?t|dont) work|(?:don'?t|doesn'?t|won'?t) work for me"
    r"|any (?:other|later|earlier) (?:time|times|day|days|slots)|(?:anything|something|any ?time|any slots?|openings?"
    r"|availability) (?:\w+ )?(?:earlier|later|else|sooner)|(?:next|following) (?:week|weekend)"
    r"|(?:instead|rather)\b)"
    r"|(?:都|全都)不(?:行|可以|方便)|(?:别的|其他|其它)(?:时间|日子)|(?:改|换)(?:个|一下)?(?:时间|日子)"
)
# "do you have a later time on Thursday?": an indefinite other time asks for new slots even when it
# names an offered day.
_ASKS_NEW_TIME = _rx(
    r"\b(?:(?:an?|any|another|some|other) (?:\w+ )?(?:later|earlier|different|other) (?:time|slot|day|date)s?"
    r"|(?:anything|something) (?:\w+ )?(?:later|earlier|else)|(?:another|a different) (?:time|slot|day|date))\b"
)
# Ruling out the whole offer ("I work during all of those") beyond slotchoice's "none of these".
_REJECTS_ALL = _rx(
    r"\b(?:work|working|busy|booked|unavailable|tied up|away|out) (?:during |at |on |for )?(?:all|each|every one|any)"
    r" of (?:those|these|them|the (?:times|slots|options))\b"
)
_BOOKED_AFFIRM = _rx(
    r"\b(?:see you|see ya|i'?ll be there|will be there|we'?ll be there|confirm\w*|sounds good|sounds great|perfect|great"
    r"|thanks|thank you|thx|ty|ok|okay|okie|k|kk|looking forward|on my way|still on|all set|got it|noted|cool|awesome|yes|yep"
    r"|yeah|yup)\b"
)
_AFFIRM_EMOJI = re.compile("[\U0001F44D\U0001F44C\U0001F64F\u2705\u2714\U0001F642\U0001F60A\U0001F600\U0001F603]")
_VAGUE = _rx(
    r"\b(?:maybe|perhaps|possibly|probably|not sure|unsure|idk|i don'?t know|dunno|we'?ll see|i'?ll see|let me (?:check|think"
    r"|see|get back)|i'?ll (?:think|let you know|get back|check)|depends|it depends|might|could be|hmm+|not yet|i guess"
    r"|either (?:one|is fine|works|way)|any (?:of them|one|is fine)|whichever(?! (?:is|one is|comes) (?:the )?(?:earliest|soonest|first|latest|last))"
    r"|whatever works|no preference|doesn'?t matter)\b"
)
_HEDGE = _rx(
    r"\b(?:maybe|perhaps|possibly|probably|not sure|unsure|tentativ\w*|(?:i'?ll|i will|let me) (?:confirm|check|let you know"
    r"|get back)|if (?:i can|possible|nothing comes up)|not (?:100%|a hundred percent|certain))"
)
_PRICING = _rx(
    r"\b(?:rent(?! (?:it|the))|rental price|price|pricing|cost|costs|how much|deposit|fee|fees|utilit\w*|includ\w*|inclusive"
    r"|exclusive of|bills|pcm|per month|a month|monthly|upfront|up front|move-in costs|first month|last month|broker|total"
    r"|budget|cu[aá]nto|precio|renta|dep[oó]sito|(?:is|are) (?:\w+ ){0,2}extra|extra (?:charge|cost|fee)s?|cost extra"
    r"|additional (?:cost|fee|charge)s?|(?:need|have) to pay|pay (?:at|upon|on|before) (?:move[- ]?in|signing)"
    r"|due (?:at|upon|on) (?:move[- ]?in|signing))\b"
)
_MONEY_AMOUNT = re.compile(r"[$£€] ?\d")
_APPLICATION = _rx(
    r"\b(?:apply|application|applying|credit (?:check|score|history)|background check|screening|requirements?"
    r"|qualif\w*|income|proof of|pay ?stubs?|documents?|paperwork|references?|approved|approval|lease signing"
    r"|sign the lease|sign a lease|what do i need)\b"
)
_AVAILABILITY = _rx(
    r"\b(?:(?:is|it'?s|is it|it|still|this|room|apartment|place|unit) (?:still )?(?:available|avail|open|free|vacant"
    r"|up for (?:grabs|rent))|(?:still )?on the market|still (?:for rent|listed|up|around|there|have it|available|open|active|renting|leasing"
    r"|(?:have|got|has) (?:it|this|that|one|the \w+)"
    r"|live|current)|(?:still |are you )(?:looking for|accepting|taking|seeking|considering) (?:a |new |more |any )?(?:tenants?"
    r"|renters?|applicants?|applications|roommates?|someone|people)|(?:listing|ad|post|posting) (?:is )?(?:still )?(?:active|up|live|current|open)"
    r"|(?:has|have) (?:it|this|the \w+|that) (?:already )?(?:been )?(?:rented|taken|leased|gone|filled)"
    r"|(?:is|was) (?:it|this|the \w+|that) (?:already )?(?:rented|taken|leased|gone|filled)|when (?:is|will) (?:it|the \w+)"
    r" (?:be )?(?:available|free|ready|vacant)|availab\w*|when can i move in|move[- ]in date|any vacanc\w*"
    r"|disponib\w*|dispon[ií]vel|sigue libre|todav[ií]a (?:est[aá] )?libre|toujours libre|ainda (?:est[aá] )?livre)\b"
    r"|还在(?:出租|招租)?|还有(?:房|空)|出租吗|可以租吗"
)
_TOUR = _rx(
    r"\b(?:see|seeing|seen|view|viewed|viewing|viewings|visit|visited|visiting|tour|toured|touring|showing|showings|shown"
    r"|show me|look at|look around"
    r"|take a look|have a look|a look|to look|look inside|(?:swing|drop|pop|head) (?:by|over|in|round)|check (?:it|the place|the room|the apartment|the unit|this|that) out|come (?:by|over|see|look"
    r"|and see|to see|in)|swing by|stop by|drop by|pop by|pop in|stop in|walk ?through|in person|appointment|schedule"
    r"|book (?:a|an|it|me)|set up a time|arrange|meet (?:up|you)|open house|when (?:can|could|are|do|should) (?:i|we|you)"
    r"|what (?:days|times|time|day)|(?:what|when) works|free (?:to|on|this|next)|interested|keen"
    r"|(?:i'?m|i am|we'?re|we are) interesting|when (?:is|would be|will be) (?:it )?(?:possible|convenient|a good time)"
    r"|next steps?|asap|this (?:week|weekend)|tomorrow|today"
    r"|verl[oa]|ver (?:el|la|o|a) (?:cuarto|apartamento|departamento|depa|casa|quarto|lugar)|visitar\w*|visita|visiter|visite"
    r"|agendar|marcar (?:uma )?visita|fin de semana|ce week-?end|cette semaine|esta semana)\b"
    r"|看房|看一下|参观|约个时间"
)
# "I don't need to see it", "not going to bother with a tour", "no need for a viewing": a tour word in
# the scope of a negation is no request for a tour.
_NEGATED_TOUR = _rx(
    r"\b(?:(?:don'?t|do not|doesn'?t|won'?t|will not|no) (?:really |even )?(?:need|have|want|require|plan)"
    r"|no need|not (?:going to|gonna|planning to|looking to)|(?:not|won'?t|don'?t|no point) (?:bother\w*|worth)|skip\w*)"
    r"(?: (?:to|for|with|on|a|an|the|any|come|go|really|even|it|doing|bother\w*)){0,4}"
    r" (?:see|seeing|view|viewing|visit|visiting|tour|touring|showing|look at)\b(?: (?:it|this|that|the \w+))?"
    r"(?: in person| first)?"
)
_INTEREST_ALONE = _rx(
    r"^(?:(?:hi|hey|hello)[ ,!]*)?(?:yes|yeah|yep|yup|yea|sure|ok|okay|please|interested|very interested|still interested"
    r"|i'?m interested|i am interested|definitely|absolutely|count me in|sounds good)(?: please| pls| plz| thanks| thank you"
    r"| thx| ty)?[\s.!]*$"
)
# "my sublet ends mid Feb": the lead's own current arrangement, which asks about no term of ours.
_OWN_ARRANGEMENT = _rx(
    r"\b(?:my|our) (?:current )?(?:sub-?let|sub-?lease|lease|contract)(?: \w+){0,2} (?:ends?|ending|runs? out|expires?"
    r"|is up|finishes|wraps up)\b"
)
# "I have a cat - still ok?" on a "Cat-friendly room": the listing states that term, for that animal only.
_ANIMAL = _rx(r"\b(?:pets?|cats?|kittens?|dogs?|pupp(?:y|ies))\b")
_ANIMAL_KIND = {"pet": "pet", "pets": "pet", "cat": "cat", "cats": "cat", "kitten": "cat", "kittens": "cat",
                "dog": "dog", "dogs": "dog", "puppy": "dog", "puppies": "dog"}  # fmt: skip
_STATED_ANIMALS = _rx(r"\b(pet|cat|dog)s?[- ](?:friendly|allowed|ok|okay|welcome)\b")


def _animals_stated(text, listing):
    stated = {match.group(1).lower() for match in _STATED_ANIMALS.finditer(listing.title or "")}
    if "pet" in stated:
        stated |= {"cat", "dog"}
    asked = {_ANIMAL_KIND[match.group().lower()] for match in _ANIMAL.finditer(text)}
    return bool(stated) and asked <= stated


_SUBLET = _rx(r"\bsub-?(?:let|lease)\w*")
# "no pets", "non-smoker", "I don't smoke": the lead says what they do not have, which asks about no term.
_ABSENT = _rx(
    r"\b(?:no|non-?|zero|(?:i|we) (?:don'?t|do not|never) (?:have |own |keep )?(?:any |a |an )?)"
    r" ?(?:pets?|dogs?|cats?|animals?|smok\w*|vap\w*)\b(?! ?(?:allowed|permitted|policy|rules?|ok|okay|building|\?))"
)
# "huh? what showing": a message that opens with a bewildered interjection.
_CONFUSED_LEAD = _rx(r"^(?:huh|wha+t|wait,? what|um+,? what|sorry,? what|excuse me)\s?\?+")
_QUESTIONISH = _rx(r"\?|\b(?:is there|are there|do you|does it|can i|could i|what|where|which|who|how|why)\b")


@dataclass(frozen=True)
class _Reading:
    """What the message says, computed once per message."""

    text: str
    flags: frozenset
    choice: object  # slotchoice.SlotChoice
    has_offer: bool
    booked: bool


def _rank_risk(*levels):
    return max(levels, key=lambda level: _RISK_RANK[level])


def _decision(intent, outcome, *, confidence, reading, reason_code=rc.ELIGIBLE, risk=t.RISK_LOW, slot=None,
              reply_kind, evidence=()):
    human = outcome == t.OUTCOME_HUMAN_REQUIRED
    return t.Decision(
        intent=intent,
        workflow_outcome=outcome,
        risk_level=risk,
        confidence=round(confidence, 2),
        risk_flags=reading.flags,
        human_required=human,
        reason_code=reason_code,
        selected_slot_index=None if human else slot,
        reply_kind=t.REPLY_NONE if human else reply_kind,
        reasons=tuple(evidence),
    )


def _human(intent, reading, reason_code, *, confidence, risk, evidence):
    return _decision(
        intent, t.OUTCOME_HUMAN_REQUIRED, confidence=confidence, reading=reading, reason_code=reason_code,
        risk=risk, reply_kind=t.REPLY_NONE, evidence=evidence,
    )


def _topic_intent(text, reading):
    """The best routine intent for the words alone (used to label escalations too)."""
    if OPT_OUT in reading.flags:
        return t.UNSUBSCRIBE
    if _RESCHEDULE.search(text) and (reading.has_offer or reading.booked):
        return t.RESCHEDULE
    if reading.choice.index is not None:
        return t.CONFIRM_SLOT
    tour, available, pricing = _tour_interest(text), _AVAILABILITY.search(text), _asks_price(text)
    if pricing and not (tour or available):
        return t.PRICING_QUESTION
    if available and not tour:
        return t.AVAILABILITY_QUESTION
    if tour or _INTEREST_ALONE.match(text):
        return t.TOUR_REQUEST
    if _APPLICATION.search(text):
        return t.APPLICATION_QUESTION
    if reading.choice.mentions_time and not (reading.has_offer or reading.booked):
        return t.TOUR_REQUEST  # a bare availability answer ("any weekday after 6") to "when can you come?"
    if _declines(text):
        return t.NOT_INTERESTED
    return t.OTHER


def _asks_price(text):
    """A price word, or an amount of money ("is the $1,650 with parking?")."""
    return bool(_PRICING.search(text)) or (any(map(text.__contains__, "$£€")) and bool(_MONEY_AMOUNT.search(text)))


def _tour_interest(text):
    if not _TOUR.search(text):
        return False
    if "no" not in text and "n't" not in text and "skip" not in text:
        return True  # no negation that could scope over the tour word
    return bool(_TOUR.search(_NEGATED_TOUR.sub(" ", text)))


def _declines(text):
    """Does the lead turn the place down? Each refusal is read with its subject and object: "Saturday
    doesn't work for us" rules out a time, and "not interested in the parking spot, only the apartment
    - can I visit?" refuses something else while asking for a tour."""
    for match in _NOT_INTERESTED.finditer(text):
        if "work" in match.group() and _TIME_SUBJECT.search(text[: match.start()]):
            continue
        if _OWN_OBJECT.match(text[match.end() :]):
            after = text[match.end() :]
            boundary = _CLAUSE_END.search(after)
            rest = text[: match.start()] + " " + (after[boundary.start() :] if boundary else "")
            if _tour_interest(rest) or _AVAILABILITY.search(rest):
                continue
        return True
    return False


_AVAILABLE_FROM_DAY = _rx(r"\bavailable (?:from|on|by|starting|as of) (?:the )?(\d{1,2})(?:st|nd|rd|th)\b(?! (?:of )?[a-z]{3})")


def _move_in_date_differs(text, listing):
    if listing.available_on is None:
        return False
    available = listing.available_on
    # "Is it available from the 1st?" when the listing says the 15th asks for another date.
    if any(int(match.group(1)) != available.day for match in _AVAILABLE_FROM_DAY.finditer(text)):
        return True
    for match in _MOVE_IN_DATE.finditer(text):
        readings = [_date_phrase(match.group(1))]
        numeric = re.match(r"(\d{1,2})/(\d{1,2})$", match.group(1))
        if numeric:  # "1/4" is 1 April in most of the world: either reading may be the listing's date
            readings.append((int(numeric.group(2)), (int(numeric.group(1)),)))
        if not any(month == available.month and available.day in days for month, days in readings if month):
            return True
    return False


# Which days of the month a part-of-month phrase covers ("mid-March" is roughly the 10th to the 20th).
_PART_OF_MONTH = {"mid": range(10, 21), "middle of": range(10, 21), "late": range(20, 32), "end of": range(20, 32),
                  "early": range(1, 11), "beginning of": range(1, 11), "start of": range(1, 11)}  # fmt: skip


def _date_phrase(when):
    """(month, days of the month it covers) for a move-in date phrase."""
    numeric = re.match(r"(\d{1,2})/(\d{1,2})$", when)
    if numeric:
        return int(numeric.group(1)), (int(numeric.group(2)),)
    part = re.match(r"(mid|middle of|late|end of|early|beginning of|start of)[- ]?([a-z]+)", when)
    if part:
        return _MONTHS.get(part.group(2)[:3]), _PART_OF_MONTH[part.group(1)]
    month = _MONTHS.get(re.search(r"[a-z]+", when).group()[:3])
    day = re.search(r"\d{1,2}", when)
    return month, ((int(day.group()),) if day else range(1, 32))


def _booked_slot_index(triage_input):
    """Which offered slot the booked showing is, read from our own confirmation in the thread."""
    for message in reversed(triage_input.history):
        if message.direction != t.OUTBOUND:
            continue
        for index, slot in enumerate(triage_input.offered_slots, start=1):
            if slot.label and slot.label in message.body and re.search(r"\bbooked|confirmed\b", message.body, re.I):
                return index
    return None


# ---- the rules, in order ------------------------------------------------------------------------
def _opt_out(reading):
    if OPT_OUT not in reading.flags:
        return None
    others = reading.flags - {OPT_OUT, "scam_signal"}
    if others:
        return None  # an opt-out that also threatens or discloses still needs a human (rule 2)
    return _decision(
        t.UNSUBSCRIBE, t.OUTCOME_NOT_INTERESTED, confidence=0.95, reading=reading, reason_code=rc.OPT_OUT_REQUEST,
        reply_kind=t.REPLY_NONE, evidence=("flag:opt_out",),
    )


def _risk(reading, intent):
    escalating = reading.flags - {OPT_OUT}
    for flag in rc.RISK_FLAG_PRIORITY:
        if flag in escalating:
            risk = _rank_risk(*(_FLAG_RISK[f] for f in escalating))
            return _human(
                intent, reading, rc.RISK_FLAG_REASONS[flag], confidence=0.9, risk=risk,
                evidence=tuple(f"flag:{f}" for f in sorted(escalating)),
            )
    return None


def _confused(reading, intent):
    text = reading.text
    if _CONFUSED_ALONE.match(text) or _CONFUSED_LEAD.match(text) or _CONFUSED.search(text):
        return _human(intent, reading, rc.LEAD_CONFUSED, confidence=0.85, risk=t.RISK_MEDIUM, evidence=("confusion",))
    return None


def _terms(reading, intent, triage_input):
    text = reading.text
    if _OTHERS_PERSONAL.search(text):
        return _human(
            intent, reading, rc.RISK_PAYMENT_OR_PII, confidence=0.8, risk=t.RISK_HIGH,
            evidence=("asks about other people's details",),
        )
    if _PAYMENT_METHOD.search(text):
        return _human(
            t.PRICING_QUESTION, reading, rc.RISK_PAYMENT_OR_PII, confidence=0.8, risk=t.RISK_HIGH,
            evidence=("asks how to pay",),
        )
    if _NEGOTIATION.search(text):
        return _human(
            t.PRICING_QUESTION, reading, rc.PRICE_NEGOTIATION, confidence=0.85, risk=t.RISK_MEDIUM,
            evidence=("price negotiation",),
        )
    unstated = _ABSENT.sub(" ", _OWN_ARRANGEMENT.sub(" ", text))
    if _ANIMAL.search(unstated) and _animals_stated(unstated, triage_input.listing):
        unstated = _ANIMAL.sub(" ", unstated)
    if _SUBLET.search(triage_input.listing.title or ""):
        unstated = _SUBLET.sub(" ", unstated)  # "is the sublet still available?" on a sublet listing
    states_terms = _LEASE_TERMS.search(text) and _LEASE_TERMS.search(unstated)
    if states_terms or _move_in_date_differs(text, triage_input.listing):
        return _human(
            intent, reading, rc.UNSTATED_LEASE_TERMS, confidence=0.8, risk=t.RISK_MEDIUM,
            evidence=("lease terms the listing does not state",),
        )
    return None


def _not_interested(reading):
    text = reading.text
    cancels = reading.booked and _CANCEL.search(text) and not _RESCHEDULE.search(text) and not _NEGATED_CHANGE.search(text)
    if not (_declines(text) or cancels):
        return None
    after_but = _BUT.split(text)[-1]
    if after_but != text and (_tour_interest(after_but) or _AVAILABILITY.search(after_but)) and not _declines(after_but):
        return None  # "not interested in the parking spot, but I'd like to see the room"
    return _decision(
        t.NOT_INTERESTED, t.OUTCOME_NOT_INTERESTED, confidence=0.85, reading=reading, reply_kind=t.REPLY_CLOSE,
        evidence=("not interested",),
    )


def _reschedule(reading, triage_input):
    if not (reading.has_offer or reading.booked):
        return None
    text, choice = reading.text, reading.choice
    rejects_all = choice.rejects_all or bool(_REJECTS_ALL.search(text))
    if len(choice.candidates) > 1:
        # "can't do the Saturday ones, the other two both work": ruling some out while several still
        # stand is an unfinished pick (rule 9), not a request for other times.
        text = _CANT_MAKE_RX.sub(" ", text)
    explicit = (bool(_RESCHEDULE.search(text)) and not _NEGATED_CHANGE.search(text)) or rejects_all
    # A day/time that fits none of the offered slots, or only ruling slots out, asks for other times;
    # ruling one out while leaving several standing ("not Saturday, the other two both work") does not.
    other_times = choice.index is None and (choice.unmatched or (bool(choice.vetoed) and len(choice.candidates) < 2))
    slot = None
    if reading.booked:
        booked_index = _booked_slot_index(triage_input)
        moves = choice.index is not None and booked_index is not None and choice.index != booked_index
        if not (explicit or other_times or moves):
            return None
        if choice.index is not None and choice.index != booked_index:
            slot = choice.index  # "can we do Tuesday instead?": the new pick moves the booking
    elif choice.index is not None and not rejects_all and not (explicit and _ASKS_NEW_TIME.search(text)):
        return None  # "not Saturday but Monday works" is a pick among the offer, not a reschedule
    elif not (explicit or other_times):
        return None
    return _decision(
        t.RESCHEDULE, t.OUTCOME_WANTS_RESCHEDULE, confidence=0.85, reading=reading, slot=slot,
        reply_kind=t.REPLY_CONFIRM_SHOWING if slot else t.REPLY_OFFER_NEW_SLOTS,
        evidence=("asks for other times",) + ((f"slot:{slot}",) if slot else ()),
    )


def _slot_pick(reading):
    choice = reading.choice
    if not reading.has_offer or choice.index is None:
        return None
    if not reading.booked and _hedged(reading.text):
        return None  # "possibly Sunday, I'll confirm later" is not a pick yet (rule 9)
    if reading.booked:
        return _decision(
            t.CONFIRM_SLOT, t.OUTCOME_SHOWING_CONFIRMED, confidence=0.8, reading=reading, slot=choice.index,
            reply_kind=t.REPLY_ACKNOWLEDGE, evidence=(f"affirms booked slot {choice.index}",),
        )
    return _decision(
        t.CONFIRM_SLOT, t.OUTCOME_SHOWING_CONFIRMED, confidence=0.9, reading=reading, slot=choice.index,
        reply_kind=t.REPLY_CONFIRM_SHOWING, evidence=(f"slot:{choice.index}",),
    )


def _hedged(text):
    """A hedge that qualifies the pick ("possibly Sunday", "probably the 2nd one, I'll confirm"), not one in a
    sentence about something else ("Tuesday at 6 works. I'll probably bring a friend")."""
    if not _HEDGE.search(text):
        return False
    sentences = [s for s in _SENTENCE.split(text) if s.strip()]
    if len(sentences) == 1:
        return True
    return any(_HEDGE.search(s) and (_TIMEISH.search(s) or len(s.split()) <= 5) for s in sentences)


_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_TIMEISH = _rx(
    r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|\d|am|pm|morning|weekends?"
    r"|afternoon|evening|tonight|tomorrow|one|option|slot|time|times|works?|then|confirm\w*|let you know|get back)\b"
)


def _booked_affirmation(reading):
    text = reading.text
    affirms = _BOOKED_AFFIRM.search(text) or _AFFIRM_EMOJI.search(text)
    if not reading.booked or not affirms or _VAGUE.search(text):
        return None
    return _decision(
        t.CONFIRM_SLOT, t.OUTCOME_SHOWING_CONFIRMED, confidence=0.75, reading=reading,
        reply_kind=t.REPLY_ACKNOWLEDGE, evidence=("affirms the booked showing",),
    )


def _vague(reading, intent):
    choice = reading.choice
    ambiguous = reading.has_offer and len(choice.candidates) > 1
    vague = reading.has_offer and not reading.booked and bool(_VAGUE.search(reading.text))
    if not (ambiguous or vague):
        return None
    evidence = (f"ambiguous between slots {list(choice.candidates)}",) if ambiguous else ("vague answer to an offer",)
    return _human(intent, reading, rc.VAGUE_REPLY, confidence=0.7, risk=t.RISK_LOW, evidence=evidence)


def _routine(reading, triage_input, intent, *, escalate_without_slots):
    text = reading.text
    if intent in (t.PRICING_QUESTION, t.APPLICATION_QUESTION):
        return _decision(
            intent, t.OUTCOME_GENERAL_QUESTION, confidence=0.7, reading=reading, reply_kind=t.REPLY_ANSWER_QUESTION,
            evidence=(intent,),
        )
    if intent not in (t.TOUR_REQUEST, t.AVAILABILITY_QUESTION):
        return None
    if reading.has_offer or reading.booked:
        # Interest again after an offer (without a pick) or with a showing booked: a human reads it.
        return None
    confidence = 0.85 if (_TOUR.search(text) or _AVAILABILITY.search(text)) else 0.7
    if not triage_input.available_slots:
        if escalate_without_slots:
            return _human(
                intent, reading, rc.NO_SLOT_CANDIDATES_ESCALATED, confidence=confidence, risk=t.RISK_LOW,
                evidence=("no slot candidates",),
            )
        return _decision(
            intent, t.OUTCOME_GENERAL_QUESTION, confidence=confidence, reading=reading,
            reason_code=rc.NO_SLOT_CANDIDATES, reply_kind=t.REPLY_ASK_PREFERRED_TIMES, evidence=(intent, "no slot candidates"),
        )
    return _decision(
        intent, t.OUTCOME_GENERAL_QUESTION, confidence=confidence, reading=reading, reply_kind=t.REPLY_OFFER_SLOTS,
        evidence=(intent,),
    )


# Misspellings leads type often ("is teh room stil avalable", "wuold like to se it this wekend"), read as
# the words they stand for by the intent rules (risk flags and slot choice read the message as written).
_TYPOS = {
    "avalable": "available", "availble": "available", "avaliable": "available", "availible": "available",
    "avaible": "available", "avilable": "available", "avaialble": "available", "availabe": "available",
    "avalible": "available", "availiable": "available", "teh": "the", "stil": "still", "wuold": "would",
    "woudl": "would", "wekend": "weekend", "weeknd": "weekend", "wknd": "weekend", "posible": "possible",
    "veiw": "view", "veiwing": "viewing", "vewing": "viewing", "viewng": "viewing", "intrested": "interested",
    "intersted": "interested", "interseted": "interested", "apartmnt": "apartment", "appartment": "apartment",
    "tommorow": "tomorrow", "tomorow": "tomorrow", "tmrw": "tomorrow", "schedual": "schedule", "shedule": "schedule",
    "rm": "room", "aptmt": "apartment", "u": "you", "ur": "your", "pls": "please", "plz": "please",
}
_TYPO_WORD = re.compile(r"\b(?:" + "|".join(sorted(_TYPOS, key=len, reverse=True)) + r")\b")
_SE_IT = re.compile(r"\bse (it|the|this)\b")


def _spelled_out(text):
    text = _TYPO_WORD.sub(lambda match: _TYPOS[match.group()], text)
    return _SE_IT.sub(r"see \1", text) if "se " in text else text


def _read(triage_input):
    text = _spelled_out(prepare(own_lines(triage_input.body[:MAX_CHARS])))
    choice = choose_slot(
        triage_input.body[:MAX_CHARS], triage_input.offered_slots, triage_input.timezone, now=triage_input.now,
    )
    return _Reading(
        text=text,
        flags=assess_inbound(triage_input.body),
        choice=choice,
        has_offer=bool(triage_input.offered_slots),
        booked=triage_input.showing_state == "confirmed",
    )


def classify(triage_input, *, confidence_threshold=DEFAULT_CONFIDENCE_THRESHOLD, escalate_without_slots=False):
    """Decide one inbound message. Pure and deterministic; never raises for odd text."""
    reading = _read(triage_input)
    intent = _topic_intent(reading.text, reading)
    decision = (
        _opt_out(reading)
        or _risk(reading, intent)
        or _confused(reading, intent)
        or _terms(reading, intent, triage_input)
        or _not_interested(reading)
        or _reschedule(reading, triage_input)
        or _slot_pick(reading)
        or _booked_affirmation(reading)
        or _vague(reading, intent)
        or _routine(reading, triage_input, intent, escalate_without_slots=escalate_without_slots)
    )
    if decision is None:
        evidence = ("question the rules do not answer",) if _QUESTIONISH.search(reading.text) else ("not understood",)
        return _human(intent, reading, rc.LOW_CONFIDENCE, confidence=0.35, risk=t.RISK_MEDIUM, evidence=evidence)
    if not decision.human_required and decision.confidence < confidence_threshold:
        return _human(
            decision.intent, reading, rc.LOW_CONFIDENCE, confidence=decision.confidence, risk=t.RISK_MEDIUM,
            evidence=decision.reasons + ("below the confidence threshold",),
        )
    return decision

