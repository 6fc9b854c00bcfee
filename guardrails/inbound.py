"""Risk flags on text coming in from a lead: what triage must hand to a human (or stop answering).

`assess_inbound(text)` never blocks anything; it only names what the message touches. The patterns
are about language (a topic word plus the construction around it), not about particular sentences,
so that "Can I stop by?" is interest while "STOP" alone is an opt-out.

Pure Python, patterns compiled once. Every pattern is a bounded alternation of literals with no
nested quantifiers, so the scan is linear in the input; very long inputs are still read in full
(an instruction to the bot hidden at the end of 100 KB of filler must still be flagged).
"""

import re
import unicodedata

try:  # The evasion-robust normaliser lives in guardrails/normalize.py (owned by the guardrails engine).
    from guardrails.normalize import normalize as _evasion_normalize
except ImportError:  # pragma: no cover - depends on whether that module has landed
    _evasion_normalize = None

LEGAL = "legal"
THREAT_OR_ABUSE = "threat_or_abuse"
PAYMENT_OR_PII = "payment_or_pii"
FAIR_HOUSING_TOPIC = "fair_housing_topic"
ACCOMMODATION_REQUEST = "accommodation_request"
VOUCHER_QUESTION = "voucher_question"
PROMPT_INJECTION = "prompt_injection"
EMERGENCY = "emergency"
SCAM_SIGNAL = "scam_signal"
OPT_OUT = "opt_out"

ALL_FLAGS = frozenset({
    LEGAL, THREAT_OR_ABUSE, PAYMENT_OR_PII, FAIR_HOUSING_TOPIC, ACCOMMODATION_REQUEST,
    VOUCHER_QUESTION, PROMPT_INJECTION, EMERGENCY, SCAM_SIGNAL, OPT_OUT,
})

# Flags that must reach a human every time (issue 6 eligibility). `opt_out` ends the conversation
# instead, and `scam_signal` is escalated by triage as well but is not in this legal list.
HUMAN_FLAGS = frozenset({
    LEGAL, THREAT_OR_ABUSE, PAYMENT_OR_PII, FAIR_HOUSING_TOPIC, ACCOMMODATION_REQUEST,
    VOUCHER_QUESTION, PROMPT_INJECTION, EMERGENCY,
})

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "\u201c": '"', "\u201d": '"'})


def _light(text):
    """Case, width, quotes and zero-width characters; keeps digits and punctuation intact."""
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).translate(_QUOTES).lower()
    return re.sub(r"\s+", " ", text).strip()


def _c(pattern):
    return re.compile(pattern, re.IGNORECASE)


# ---- legal -------------------------------------------------------------------------------------
_LEGAL = _c(
    r"\b(?:(?:going|go|gonna go|will go|i'll go) to (?:the )?(?:city|council|authorities|state|hud|attorney general|police|press|media)"
    r" (?:about|over|regarding)|fil(?:e|ing) (?:a |an )?(?:\w+ )?(?:complaint|claim|grievance)\b"
    r"|(?:scammed|defrauded|ripped off|cheated|conned) (?:me|us)|stole (?:my|our|from (?:me|us))"
    r"|(?:you(?:'re| are)|you guys are|this is|your \w+ (?:is|was)) (?:a |running a )?(?:scam(?:mers?)?|fraud(?:s|sters?)?|con)\b"
    r"|sue|suing|sued|lawsuits?|(?<!i'm a )(?<!i am a )(?<!i'm an )(?<!i am an )(?:lawyers?|attorneys?)(?! by (?:profession|trade))|solicitors?|barristers?|legal (?:counsel|advice|team)|abogad[oa]s?"
    r"|(?:you|u)(?:'ll| will) (?:be )?hear(?:ing)? from (?:my|our|the) (?:council|city|authorities|police|ombudsman"
    r"|regulator|tenants?'? union|housing (?:board|authority|department))|tribunal|ombudsman|trading standards|legal action|legal aid|take (?:you|this) to court"
    r"|see you in court|small claims|(?:to|in|into|housing|civil|go to|take (?:you|this|it|them) to) court\b(?! (?:st|street|ave|avenue|sq|square|rd|road|yard|blvd)\b)|court (?:order|case|date|hearing|filing|summons)|litigat\w*|subpoena|cease and desist"
    r"|(?:report|reporting) (?:you|this|the listing)\b(?: \w+){0,3} (?:to|with) (?:the )?"
    r"(?:hud|police|authorities|attorney general|bbb|better business bureau|city|state|ftc|consumer|council)"
    r"|file (?:a )?(?:formal )?complaint|(?:human rights|civil rights) (?:commission|division|complaint)"
    r"|discriminat\w*|false advertising|fraudulent listing|my (?:legal )?rights as a tenant|tenant rights?"
    r"|housing court|illegal (?:eviction|lockout)|violat\w* (?:the )?(?:law|fair housing))\b"
)

# ---- threats and abuse -------------------------------------------------------------------------
_INSULT_NOUN = (
    r"(?:idiot|moron|joke|clown|liar|scammer|scam artist|crook|fraud|thief|thieves|loser|pig|slumlord"
    r"|jerk|disgrace|bitch|asshole|bastard|dumbass|incompetent|pathetic|useless)"
)
_ABUSE = _c(
    r"\b(?:f+u+c+k+\w*|fck\w*|fuk\w*|f\*+k\w*|sh[i1]t\w*|bullsh[i1]t|bitch\w*|asshole\w*|bastard\w*|dumbass"
    r"|motherf\w*|cunt\w*|dickhead|piece of (?:crap|garbage|trash|work)|stfu|screw you|go to hell|damn you"
    r"|(?:you|u)(?: are|'re| r|re)? (?:such |an? |a total |a complete |the )*" + _INSULT_NOUN +
    r"|(?:you|u) (?:people |guys )?(?:are|'re|r) (?:so |such |all |a bunch of )*(?:stupid|dumb|useless|pathetic"
    r"|incompetent|clowns|idiots|morons|liars|crooks|scammers|a joke|trash|garbage|disgusting)"
    r"|worst (?:landlord|agent|company|management|property manager|service|experience)s?(?: \w+)? ever"
    r"|shut up|hate you|(?:what|how) (?:a|an) (?:joke|scam|ripoff|rip-off)"
    r"|stupid (?:bot|agent|landlord|company)|useless (?:bot|agent|landlord|company))\b"
)
_THREAT = _c(
    r"\b(?:(?:leave|leaving|post|posting|write|writing)(?: \w+){0,2} (?:1|one|bad|negative|terrible)[- ]?(?:star )?reviews?"
    r"|(?:bad|negative|terrible|1-star|one-star) reviews? (?:everywhere|on every)|(?:i|we)(?:'ll| will| am going to|'m going to|'m gonna| gonna) (?:kill|hurt|find|beat|smash|burn|destroy"
    r"|come for|come after|ruin|make you pay|get you)\b|kill (?:you|u)\b|(?:you|u)(?:'ll| will|'re going to| are going to|'re gonna| are gonna| r gonna| gonna) (?:regret|pay for|be sorry)"
    r"|watch your back|(?:you|u)(?:'re| are) (?:dead|going to pay)|burn (?:it|the place|the building|your \w+) down"
    r"|i know where you live|better watch out|or else\b)"
)

# ---- payment details and personal identifiers --------------------------------------------------
_SSN = re.compile(r"(?<![\d-])\d{3}[- ]\d{2}[- ]\d{4}(?![\d-])")
_CARD_CANDIDATE = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
_PAYMENT = _c(
    r"\b(?:card ending(?: in)? \d{4}|exp(?:iry|iration|ires)? \d{1,2}/\d{2}|charge (?:my|the) card|charge (?:the|my) (?:app|application) fee|venmo|zelle|cash ?app|cashapp|cash|paypal|apple ?pay|google ?pay|e-?transfer|interac|western union|moneygram|wire (?:transfer|the|you|it|money)"
    r"|(?:by|via) wire|bank transfer|bank (?:details|info|information)|bank account|account number|routing number|iban|swift code"
    r"|sort code|gift ?cards?|itunes card|bitcoin|btc|crypto\w*|usdt|ethereum|money order|cashier'?s check"
    r"|certified check|credit card (?:number|details|info)|card (?:number|details)|cvv|debit card number"
    r"|(?:my|his|her) (?:social|ssn|social security)|social security (?:number|no|#)|\bssn\b|s\.s\.n"
    r"|itin|tax id|driver'?s licen[cs]e (?:number|no|#)|passport (?:number|no|#)|date of birth|\bdob\b"
    r"|pay (?:you |the \w+ )?(?:in|with) cash|(?:in|with) cash\b|cash (?:deposit|payment|only)"
    r"|(?:send|pay|transfer|give) (?:you |u )?(?:the |my |a |first )?(?:deposit|money|payment|rent|funds|fee)"
    r"(?: \w+){0,3} (?:by|via|through|over|with|on|to (?:your|you))"
    r"|(?:your|ur) (?:venmo|zelle|cash ?app|paypal|handle|account|bank|wallet|address to send)"
    r"|bank (?:login|password|credentials|username|pin)|online banking (?:login|password)|my password)\b"
)

# ---- fair housing: protected classes and the topics the policy sends to a human ----------------
_FAIR_HOUSING = _c(
    r"\b(?:kids?|kiddos?|child|children|childs|childrens|toddlers?|bab(?:y|ies)|infants?|newborns?|teenagers?|teens|little ones?"
    r"|famil(?:y|ies)(?! room)|my (?:son|daughter|sons|daughters)|son|daughter|custody|single (?:mom|mother|dad|father|parent)"
    r"|pregnan\w*|expecting (?:a baby|a child|twins)|due date|maternity"
    r"|relig\w*|muslims?|islam\w*|christians?|christianity|catholics?|jew|jews|jewish|hindus?|sikhs?|buddhists?"
    r"|atheists?|mormons?|(?:church(?:es)?|mosques?|synagogues?|temples?)(?! (?:ave|avenue|st|street|rd|road|av|university|hill|square|sq)\b)|pray\w*|halal|kosher|ramadan|hijab|sabbath"
    r"|race|races|racial|racist|ethnic\w*|(?:white|black|brown)(?= (?:people|folks|tenants?|neighbou?rs?|roommates?"
    r"|famil(?:y|ies)|guys|girls|men|women|persons?|residents?|community|neighbou?rhood|area|professionals|only|household))"
    r"|(?:mostly|all|only|predominantly|any|many|are (?:they|the (?:neighbou?rs|tenants|roommates|housemates|residents"
    r"|people|others|families|owners?))) (?:white|black|brown)|asians|hispanics|latinos|arabs|indians|mexicans"
    r"|(?:asian|hispanic|latino|latina|african|arab|indian|mexican|chinese)(?! (?:food|restaurants?|place|cuisine|market"
    r"|grocer(?:y|ies)|bakery|take-?out|bbq|spot|deli|stores?|shops?|buffet|supermarket)\b)|immigrants?|foreigners?|nationalit\w*"
    r"|(?:all|mostly|only|predominantly) (?:english|british|american|irish|scottish|welsh|european|foreign|foreigners"
    r"|polish|russian|french|german|italian|spanish|indian|chinese|african|asian|latin\w*)(?! (?:food|breakfast|restaurants?|shops?))"
    r"|fit in with (?:the )?(?:other )?(?:flat|room|house)?mates|citizen\w*|undocumented|green card|visas|visa (?:status|holders?|sponsorship|type|expires|runs out)|(?:student|work|tourist|work-study) visa|on an? \w* ?visa|immigration|immigrant status|accent|f-?1|j-?1|h-?1b|opt ead"
    r"|international students?|work permit|daca|dreamers?|asylum|refugees?|ssn-less|no ssn|without (?:an? )?ssn"
    r"|gay|lesbian|lgbt\w*|queer|trans (?:people|persons?|folks|women|woman|men|man|tenants?|roommates?)|transgender"
    r"|straight (?:people|couples?|guys|men|women|folks|only|roommates?)|bisexual|sexual orientation|gender"
    r"|married|unmarried|marital|divorced|widow\w*"
    # "senior" alone is also a job title ("Senior Analyst") or a school year; people, or housing for them
    r"|old people|elderly|seniors|senior (?:citizens?|living|housing|communit\w*|building|discount|residents?|tenants?"
    r"|renters?|folks|complex)|(?:i'?m|i am|we'?re|we are) (?:a )?seniors?(?= ?[.,!?;]|$| and | so )|retirees?|young (?:people|professionals|crowd)|age (?:limit|range|restriction)"
    r"|older (?:tenants?|people|renters?|applicants?|folks|residents?|persons?|couples?|roommates?|ladies|lady|man|woman|men|women)"
    r"|too old|my age|(?:i'?m|i am) \d{2} (?:years old|yrs old|yo)\b(?! (?:building|house))"
    r"|how old are"
    r"|disab\w*|handicap\w*|wheel ?chairs?|walker|crutches|deaf|blind|hard of hearing|hearing aid|sign language"
    r"|asl|autis\w*|adhd|ptsd|mental (?:health|illness)|depression|anxiety|bipolar|schizo\w*|chronic (?:illness|pain)"
    r"|medical condition|hiv|aids|recovering|sober|in recovery|service (?:dog|animal)s?|assistance animals?"
    r"|support (?:dog|cat|animal)s?|emotional support|\besa\b|guide dog|therapy (?:dog|animal)|ramp|grab bars?"
    r"|stair ?lift|accessib\w*(?! (?:by|via|from|with) (?:public transport|transit|trains?|bus(?:es)?|subway|car|foot|bike|the (?:subway|trains?|tube|metro|bus|freeway|highway)))|ada (?:compliant|accessible)|step-free|no steps|ground floor because"
    r"|kind of (?:people|tenants|neighbou?rs|roommates|person)|type of (?:people|tenants|neighbou?rs|roommates|person)"
    r"|sort of (?:people|tenants|neighbou?rs|person)|what (?:are|is) the (?:neighbou?rs|roommates|tenants|residents)"
    r" like|who (?:else )?lives (?:there|in the building|in the house|nearby|around)|demographic\w*|diverse|diversity"
    r"|(?:is|are) (?:the |it |this )?(?:area|neighbou?rhood|street|block|building|part of town)(?: \w+){0,2} (?:safe|dangerous"
    r"|sketchy|rough|good(?! for \w+ing\b)|bad(?! for \w+ing\b))|safe (?:area|neighbou?rhood|at night|to walk|for a woman|for women)|crime\w*|criminals?"
    r"|dangerous|sketchy|shootings?|gangs?|ghetto|(?:bad|rough|shady|unsafe|safe|dangerous|sketchy) (?:area|neighbou?rhood|block|street|part of town)|good (?:area|neighbou?rhood)|unsafe"
    r"|safety of the (?:area|neighbou?rhood)|(?:ok|okay|alright|fine|good) for (?:a )?(?:woman|women|girl|girls|female|single (?:woman|girl|mom|mother))"
    r"|(?:safe|ok|okay|alright|fine)\b[^.?!]{0,40}\bwalk\w* (?:home |back |around |alone )*(?:late|at night|after dark)"
    r"|walk\w* (?:home |back |around |alone )*(?:late|at night|after dark)[^.?!]{0,30}\b(?:safe|ok|okay|alright|fine)\b"
    r"|section ?8|vouchers?|subsid\w*|source of income|public assistance)\b"
)
# "had to pick up my son from practice": a family member named in a past errand explains the lead's
# day and asks nothing about children (read only in messages that ask nothing).
_FAMILY_ERRAND = _c(
    r"\b(?:(?:had to|just|already|was|were) (?:pick|drop|take|drive|bring)\w*|picked|dropped|took|drove|brought)"
    r"(?: up| off)? (?:my|our|the) (?:son|daughter|sons|daughters|kids?|children|child|little ones?|boys?|girls?)"
    r"(?: up| off)?(?: (?:from|to|at) (?:the )?\w+)?"
)
# "my daughter's recital got moved", "our son has a game Sunday": the child owns an event that explains
# the lead's schedule, which again asks nothing about children.
_FAMILY_MEMBER = r"(?:son|daughter|sons|daughters|kids?|children|child|little ones?|boys?|girls?)"
_FAMILY_EVENT = _c(
    r"\b(?:my|our) " + _FAMILY_MEMBER + r"(?:'?s|s'|'|(?: has| had| have)(?: a| an| her| his| their)?)(?: \w+)?? "
    r"(?:recital|game|practice|appointment|birthday|party|graduation|concert|match|tournament|performance"
    r"|ceremony|rehearsal|lesson|surgery|check-?up|conference|meet)s?\b"
)
# "I teach a kids' drum class", "I coach my son's team": children in the lead's work, asking nothing of us.
_CHILD_WORK = _c(
    r"\b(?:teach|teaches|teaching|coach|coaches|coaching|tutor\w*|babysit\w*|nanny|work with|working with)(?: \w+){0,2}"
    r" (?:kids|children|child|teens|students)(?:'s|s'|')?(?: \w+){0,2}"
)
# "mornings I'm at church", "after Friday prayers": the lead's own observance explains their schedule.
_OBSERVANCE = _c(
    r"\b(?:(?:i'?m|i am|we'?re|we are|i'?ll be|we'?ll be|i'?m usually|we'?re usually) (?:at|in)|after|before|from|until|till)"
    r" (?:(?:sunday|friday|saturday|morning|evening) )?(?:church|mass|temple|synagogue|shul|mosque|services|prayers?"
    r"|bible study|sunday school)\b|\b(?:church|mass|services|temple|mosque|synagogue|prayers?) (?:lets out|gets out|ends|finishes|is over)\b"
)
_DISABILITY_CUE = _c(
    r"\b(?:disab\w*|handicap\w*|wheel ?chair|walker|crutches|deaf|blind|hard of hearing|sign language|autis\w*"
    r"|ptsd|mental (?:health|illness)|medical condition|chronic|mobility|my condition|my doctor|doctor'?s note"
    r"|can'?t (?:climb|do) stairs|cannot (?:climb|do) stairs)\b"
)
_ACCOMMODATION = _c(
    r"\b(?:reasonable (?:accommodation|modification)s?|(?:request|need|ask for|require)(?:ing)? (?:an? )?"
    r"(?:accommodation|modification|exception)s?(?! (?:in|near|for rent|around|close))|accommodat\w* (?:for|because of) (?:my|a|his|her)"
    r"|(?:service|assistance|support|guide|therapy) (?:dog|animal|cat)s?|emotional support|\besa\b"
    r"|(?:install|put in|add|build|modify|widen|lower)(?: \w+){0,2} (?:a |the )?(?:ramp|grab bars?|rails?|railings?"
    r"|handrails?|doorways?|doors?|shower|counters?|stair ?lift|bars)|(?:ground|first|lower) floor (?:room|unit)? ?because"
    r"|(?:interpreter|sign language|asl)|(?:only|just) (?:by )?(?:text|texting|writing|email))\b"
)
_VOUCHER = _c(
    r"\b(?:vouchers?|section ?8|sec ?8|housing choice|hcv|city ?fheps|fheps|hasa|linc|cityfeps|hud-vash|vash"
    r"|ehv|rental assistance|housing assistance|housing (?:program|authority)|(?:do|will|would) you (?:accept|take|allow)"
    r"(?: \w+){0,2} programs?|programs? (?:accepted|welcome|ok)|subsid\w*|source of income|ssi|ssdi|disability (?:income|benefits|check)"
    r"|social security (?:income|benefits|check)|public assistance|welfare|hra|dss|dhs|cash assistance|one shot deal"
    r"|housing (?:benefit|voucher|stipend)|rent (?:subsidy|supplement)|affordable housing|income[- ](?:restricted|based)"
    r"|housing (?:lottery|lotteries|programs?|connect)|rent[- ]stabili[sz]ed lottery|low[- ]income (?:housing|program|unit)"
    r"|case ?workers?|case managers?|social workers?|universal credit|housing benefit|\bdss\b|local housing allowance"
    r"|(?:paid|covered|subsidi[sz]ed|paying) by (?:the )?(?:va|hud|government|state|city|county|council|agency|program|housing authority)"
    r"|(?:agency|program|programme|charity|non-?profit|government|state|city|county|council|benefits?) (?:\w+ ){0,2}"
    r"(?:pays|covers|helps (?:with|pay)|contributes)|(?:pays|covers) (?:part|some|most|half|a portion|\d+ ?%) of (?:my |the |our )?rent)\b"
)

# ---- attempts to instruct the bot ---------------------------------------------------------------
_INJECTION = _c(
    r"(?:(?:^|[.!?] )(?:system|assistant|developer|admin|root|operator)(?: prompt| message| override| note)? ?:"
    r"|\b(?:admin|god|debug|maintenance) mode\b"
    r"|\[(?:system|admin|sys|instructions?|assistant)\]|<!--|\b[a-z]+_[a-z]+ ?= ?\w|\bmark (?:me |this (?:lead|applicant) |it )?(?:as )?(?:approved|pre-?approved|verified|screened)\b"
    r"|\b(?:i'?m |i am )?authori[sz](?:ing|e) you to\b|\bskip (?:the )?(?:screening|background check|credit check)\b"
    r"|\b(?:note|message|instruction|memo) (?:to|for) (?:the |any )?(?:ai|bot|assistant|model|llm|system)\b"
    r"|\b(?:dear|hey|attention|hello) (?:ai|bot|assistant|chatbot|gpt)\b|\b(?:ai|bot|assistant|model) reading this\b"
    r"|\b(?:ignore|disregard|forget|override|bypass|skip)\b(?: \w+){0,3} (?:instructions?|rules|prompts?|directions"
    r"|guidelines|programming|directives?|policy|policies|constraints|settings|orders)\b"
    r"|\bsystem (?:prompt|message|instructions?)\b|\b(?:your|the) (?:prompt|instructions|programming|playbook|guidelines)\b"
    r"|\byou are now\b|\bfrom now on,? (?:you|reply|respond|answer|only|always|act|say)\b|\bact as (?:an?|my|the)\b"
    r"|\bpretend (?:to be|you(?:'re| are))\b|\broleplay\b|\bjailbreak\w*|\bdeveloper mode\b|\bdan mode\b"
    r"|\bnew (?:instructions|rules|task|role)\b|\b(?:reveal|print|show|output|repeat|dump|leak)\b(?: \w+){0,3} "
    r"(?:prompt|instructions|configuration|config|rules|playbook|api key|secrets?)\b"
    r"|\b(?:respond|reply|answer|output)(?: \w+){0,2} (?:only )?(?:with|in) (?:json|yes|the word|exactly|only)\b"
    r"|\bsay (?:exactly|only|the following|after me)\b|\bas an ai\b|\blanguage model\b|\bchatgpt|\bgpt-?\d|\bllm\b"
    r"|\b(?:hey |dear )?(?:bot|ai|assistant|chatbot),? (?:please )?(?:approve|confirm|mark|set|book|change|give|send"
    r"|tell|write|ignore|list)\b|<\|?/?(?:system|im_start|im_end|assistant|user)\|?>|\[/?inst\]|###\s*(?:instruction|system)"
    r"|\b(?:mark|set|flag) (?:me|my application|this (?:conversation|lead))(?: \w+){0,2} (?:as )?(?:approved|priority|confirmed|accepted)\b"
    r"|\bapprove (?:me|my application) (?:now|immediately|automatically)\b)"
)

# ---- maintenance and safety emergencies ---------------------------------------------------------
_EMERGENCY = _c(
    r"\b(?:emergency|emergencies|911|leak\w*|flood\w*|burst (?:pipe|pipes)|pipes? (?:burst|broke)|water (?:is )?"
    r"(?:everywhere|pouring|coming through|coming in|dripping|damage)|(?:ceiling|roof) (?:is )?(?:collapsing|collapsed|falling|caved)"
    r"|fire(?! (?:escape|place|pit|wood|works|alarm test|extinguishers?|safety|code|exits?|doors?|proof|sprinklers?"
    r"|alarms?\b(?! (?:is |are )?(?:going off|beeping|ringing))))|on fire"
    # "I don't smoke", "non smoker": smoking as a habit is no fire (looked behind only once "smoke" is read)
    r"|smoke(?! detector| free|-free|r|rs| alarm)(?<!n't smoke)(?<!not smoke)(?<!never smoke)(?<!non-smoke)(?<!non smoke)"
    r"(?<!no smoke)(?<!\bi smoke)(?<!\bwe smoke)"
    r"|smell(?:s|ing)? (?:of )?gas|gas (?:leak|smell)|carbon monoxide(?! (?:detector|alarm)s?\b(?! (?:is |are )?(?:going off|beeping)))|\bco (?:alarm|detector) (?:is )?(?:going off|beeping)"
    r"|(?:alarm|detector) (?:is )?going off|sparks?|sparking|electrical (?:fire|burning|smell)|burning smell|no heat\b|heat (?:is )?(?:not working|out|off)"
    r"|no (?:hot )?water\b|(?:power|electricity) (?:is )?(?:out|off)|outage|sewage|sewer backup|toilet (?:is )?overflow\w*"
    r"|mou?ld everywhere|locked out|lock (?:is )?broken|broken lock|door won'?t (?:lock|close)|break-in|broken into|burglar\w*"
    r"|intruder|someone broke in|window (?:is )?(?:smashed|broken)|rats?\b|mice|roach\w*|bed ?bugs?|infestation)\b"
)

# ---- rental-scam signals -------------------------------------------------------------------------
_SCAM = _c(
    r"\b(?:i'?m (?:currently )?(?:abroad|overseas|out of the country|deployed|on an oil rig|at sea|a missionary)"
    r"|(?:ship|mail|post|courier|fedex|send) (?:you |me )?(?:the )?keys|keys (?:by|via) (?:mail|post|courier|fedex)"
    r"|over ?pa(?:y|id|yment)|refund the (?:difference|balance|extra)|send (?:back )?the (?:difference|balance|extra)"
    r"|cashier'?s check|certified check|money order|western union|moneygram|gift ?cards?|bitcoin|crypto\w*"
    r"|verification code|(?:google voice|whatsapp|otp) code|(?:send|give|tell|share) (?:me )?(?:the |your |a )?code"
    r"|click (?:this|the|my) link|pay before (?:viewing|seeing|the viewing)|sight unseen|without (?:seeing|viewing)"
    r"|hold (?:it|the (?:room|apartment|unit|place)) (?:for me )?(?:with|if i (?:pay|send))|my (?:agent|lawyer|shipping company) will)\b"
)

# ---- rarer wordings, each read only when one of its key words is in the message ------------------
# A substring test costs far less than another branch in the patterns above, which every message
# pays for at every position.
_GATED_RULES = (
    # "wtf", "what's wrong with you people", "the stupidest conversation"
    (THREAT_OR_ABUSE, ("wtf", "what the", "wrong with", "stupidest", "dumbest", "most "), _c(
        r"\b(?:wtf|what the (?:fuck|hell)|(?:what'?s|what is) wrong with (?:you|u)\b"
        r"|(?:stupidest|dumbest|most useless|most pathetic|most ridiculous|most incompetent) \w+)"
    )),
    # provocations: "keep ignoring me and see what happens", "try me", "you'll be sorry"
    (THREAT_OR_ABUSE, ("know where", "be sorry", "warned", "see what happens", "try me"), _c(
        r"\b(?:i know where you (?:work|are)|you(?:'ll| will) be sorry|you'?ve been warned"
        r"|(?:keep|try|go ahead and) \w+(?: \w+){0,3} (?:and|&) see what happens|try me)\b"
    )),
    # identity documents and financial statements
    (PAYMENT_OR_PII, ("bank info", "statement", "passport", "birth cert", "tax return", "cop", "photo", "pic", "scan",
                      "image"), _c(
        r"\b(?:(?:copy|copies|photo|picture|pic|scan|image)s? of (?:my |our |the |his |her )?(?:passport|id|i\.d\.?"
        r"|licen[cs]e|driver'?s licen[cs]e|social security card|ss card|green card|birth certificate|bank statements?"
        r"|tax returns?)|bank statements?|bank info(?:rmation)?|(?:my|our|his|her) (?:passport|birth certificate"
        r"|tax returns?))\b"
    )),
    # where the lead comes from, asked about as a condition ("I'm from Poland, is that a problem?"), or a
    # credit history that belongs to another country
    (FAIR_HOUSING_TOPIC, (" from ", "credit", "country", "abroad", "overseas"), _c(
        r"\b(?:(?:(?:i'?m|i am|we'?re|we are)(?: originally)?|(?:i|we) (?:just |recently )?(?:arrived|moved|immigrated"
        r"|came|relocated)(?: here)?) from (?!(?:work|home|school|out of|the (?:city|suburbs|office|area|east|west|north"
        r"|south))\b)\w+(?=.*\b(?:(?:is|would|will) (?:that|this|it) (?:be )?|that'?s )(?:a |an )?(?:problem|issue|ok|okay"
        r"|alright|fine|deal ?breaker)\b|.*\bcan (?:i|we) still (?:rent|apply|qualify)\b)"
        r"|no (?:uk|us|u\.s\.|american|canadian|british|local) (?:credit|rental history|references)|new to (?:the|this)"
        r" (?:country|us|uk|states)|(?:credit|rental) history (?:here|in (?:this|the) (?:country|us|uk|states))"
        r"|(?:arrived|moved|immigrated|came|relocated) (?:here )?from (?:abroad|overseas|another country))\b"
    )),
    # language, a proxy for national origin
    (FAIR_HOUSING_TOPIC, ("english", "translat", "language", "native", "speak", "understand"), _c(
        r"\b(?:translat\w*|(?:my|our|his|her|their) english|english (?:is|isn'?t|not|very|so)|language barrier"
        r"|(?:first|native) language|non-?native|(?:speak|speaks|speaking|understand|understands) (?:\w+ )?(?:english"
        r"|spanish|chinese|mandarin|cantonese|russian|ukrainian|arabic|korean|vietnamese|french|portuguese|polish|hindi"
        r"|creole|tagalog))\b"
    )),
    # sexual orientation, age by decade, a woman alone, the area after dark, criminal history
    (FAIR_HOUSING_TOPIC, ("same", "both", "fifties", "sixties", "seventies", "eighties", "nineties", "0s", "alone",
                          " own", "night", "dark", "crim", "felon", "convict", "record", "jail", "prison", "arrest"), _c(
        r"\b(?:same[- ]sex|(?:we'?re|we are) both (?:women|men|girls|guys|female|male)"
        r"|in (?:their|our|my|his|her) (?:[5-9]0s|fifties|sixties|seventies|eighties|nineties)"
        r"|(?:woman|women|female|girl|lady) (?:living )?(?:alone|on (?:my|her|their) own)"
        r"|(?:neighbou?rhood|area|block|street|part of town)(?: \w+)? (?:at night|after dark)"
        r"|criminal (?:record|history|background|conviction)|(?:a|my|his|her) (?:felony|felonies|conviction|misdemeanor"
        r"|record)(?! of)|felons?|convicted|been (?:to jail|in jail|in prison|incarcerated|arrested)"
        r"|(?:past|prior) (?:convictions?|arrests?))\b"
    )),
    # "what instructions were you given?", "repeat them word for word"
    (PROMPT_INJECTION, ("word for word", "verbatim", "instructions", "rules", "prompt", "directions"), _c(
        r"\b(?:what (?:instructions|rules|prompts?|directions)(?: \w+){0,2} (?:were you|have you been|are you|did they"
        r"|did you get)|word for word|verbatim)\b"
    )),
    # a home system that has stopped working; no way in
    (EMERGENCY, ("heat", "furnace", "boiler", "water", "a/c", "ac ", "air cond", "power", "electric", "light", "toilet",
                 "fridge", "refrigerator", "stove", "get in", "lock", "code", "key", "door"), _c(
        r"\b(?:(?:heat|heating|power|electricity|hot water)(?:'s| has| is)? (?:been )?(?:out|off|gone|down)\b(?! (?:of|for) (?:the )?(?:question|budget|season))"
        r"|\d{1,2} degrees in (?:here|the (?:apartment|unit|room|place))"
        r"|(?:heat|heating|heater|furnace|boiler|hot water|water heater|a/?c|air conditioning|power|electricity"
        r"|lights|toilet|fridge|refrigerator|stove)(?: \w+)? (?:has ?n'?t|hasn'?t|isn'?t|is not|doesn'?t|does not|won'?t"
        r"|stopped|not|never) (?:been )?(?:work\w*|turn\w* on|com\w* on|run\w*|flush\w*)"
        r"|(?:can'?t|cannot|couldn'?t) get (?:in|inside|into (?:the |my )?(?:unit|apartment|apt|building|house|room"
        r"|place))(?! (?:until|till|before|on|at|to|town|the city|this|next|tomorrow|today))"
        r"|(?:lockbox|lock box|key|code|keypad|door)(?: \w+)? (?:doesn'?t|does not|won'?t|isn'?t|is not)"
        r" (?:work\w*|open\w*))\b"
    )),
)

# ---- opting out ---------------------------------------------------------------------------------
_OPT_OUT_ALONE = _c(
    r"^(?:please |pls |plz )?(?:stop|stop all|stopall|unsubscribe|unsub|opt ?out|opt-out|cancel|end|quit|remove|remove me"
    r"|stop please|stop it|leave me alone|no more|do not contact|dont contact|don't contact)(?: please| pls| now| thanks| thank you)?"
    r"[\s.!]*$"
)
_CONTACT_VERB = r"(?:text\w*|txt\w*|msg\w*|messag\w*|contact\w*|email\w*|e-mail\w*|writ\w*|call\w*|spam\w*|send\w*|bother\w*|pester\w*|reach\w*)"
_OPT_OUT = _c(
    r"\b(?:unsubscribe(?!d from (?:all |my |the |other |those |every|some )(?!(?:\w+ )?(?:you|your|this)\b))|unsub\b|opt(?:ing)? ?(?:me |us )?out|opt-out"
    r"|(?:stop|quit|cease|enough with the|enough) (?:all |these |the |your |with the )?" + _CONTACT_VERB + r"(?: me| us)?"
    r"|(?:do not|don'?t|never|dont) (?:ever )?(?:" + _CONTACT_VERB + r") (?:me|us|this (?:number|phone|email)|my (?:number|phone|email))(?! (?:before|after|at|on|during|until|till"
    r"|between|in the|early|late|tomorrow|today|tonight|this|next|after))"
    r"|(?:remove|delete|take) (?:me|my (?:number|email|info|details|contact))(?: \w+){0,2} (?:from|off) (?:your|the|this)"
    r"|please remove me|remove me\b|take me off|lose my number|leave me alone"
    r"|no more (?:messages|msgs?|texts|txts?|emails|e-mails|contact|calls|spam|notifications)"
    r"|stop (?:it|this|now)[.!]*$)"
)
# Spanish: "no me manden mas mensajes", "borren mi numero", "denme de baja" (read only when a key word is there)
_OPT_OUT_ES_KEYS = ("no me ", " mi ", "baja")
_OPT_OUT_ES = _c(
    r"\b(?:no me (?:manden|mandes|mande|env[ií]en|env[ií]es|escriban|escribas|contacten|contactes|llamen|llames"
    r"|molesten|molestes|textees|texteen) (?:m[aá]s|nada)|(?:b[oó]rr|quit|elimin)(?:en|a|e|ar)(?:me)? (?:mi (?:n[uú]mero"
    r"|contacto)|de (?:la|su|tu) lista)|(?:dar|den|da)(?:me)? de baja)\b"
)
# French, Portuguese and Chinese: "merci de ne plus me contacter", "parem de me mandar mensagens", "不要再给我发信息"
_OPT_OUT_OTHER = _c(
    r"(?:ne (?:plus )?me (?:contactez|[ée]crivez|envoyez|appelez) plus|ne plus me (?:contacter|[ée]crire|envoyer|appeler)"
    r"|d[ée]sinscri\w*|arr[eê]tez de m'(?:[ée]crire|envoyer|contacter)|parem de me (?:mandar|enviar|contactar|ligar|escrever)"
    r"|n[aã]o me (?:mande|mandem|envie|enviem|contate|contatem|ligue|liguem|escreva|escrevam) mais|descadastr\w*"
    r"|不要再(?:给我)?(?:发|联系|打)|别再(?:给我)?(?:发|联系|打)|请勿(?:再)?(?:联系|打扰)|退订)"
)
_OPT_OUT_NEGATED = _c(r"\b(?:don'?t|do not|please don'?t) (?:stop|unsubscribe|remove me)\b|\bhow (?:do|can) i (?:stop by|get)")


def _luhn_ok(digits):
    total, parity = 0, len(digits) % 2
    for i, ch in enumerate(digits):
        d = int(ch)
        if i % 2 == parity:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _has_card_number(text):
    for match in _CARD_CANDIDATE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if 13 <= len(digits) <= 19 and _luhn_ok(digits) and len(set(digits)) > 1:
            return True
    # A bare 9-17 digit run next to banking words is an account or routing number.
    return bool(_LONG_DIGITS.search(text)) and bool(_BANK_WORD.search(text))


_LONG_DIGITS = re.compile(r"(?<![\d-])\d{9,17}(?![\d-])")
_BANK_WORD = re.compile(r"\b(?:account|acct|routing|aba|bank|iban)\b")
_SENTENCE_BREAK = re.compile(r"[.!?;\n]+")


_WORD_RULES = (
    (LEGAL, _LEGAL),
    (THREAT_OR_ABUSE, _ABUSE),
    (THREAT_OR_ABUSE, _THREAT),
    (PAYMENT_OR_PII, _PAYMENT),
    (FAIR_HOUSING_TOPIC, _FAIR_HOUSING),
    (VOUCHER_QUESTION, _VOUCHER),
    (PROMPT_INJECTION, _INJECTION),
    (EMERGENCY, _EMERGENCY),
    (SCAM_SIGNAL, _SCAM),
)


_EVASION_VIEW_MAX_CHARS = 1000


def _views(text):
    light = _light(text)
    views = [light]
    # The evasion view costs super-linear time on long runs of short tokens, so it is taken only on
    # message-sized text; the light view below always reads the whole input.
    if _evasion_normalize is not None and len(text) <= _EVASION_VIEW_MAX_CHARS:
        evasive = _evasion_normalize(text)
        if isinstance(evasive, str) and evasive and evasive != light:
            views.append(evasive.lower())
    return light, views


def _names_fair_housing_topic(view):
    if _FAIR_HOUSING.search(view):
        return True
    return any(
        flag == FAIR_HOUSING_TOPIC and any(map(view.__contains__, keys)) and pattern.search(view)
        for flag, keys, pattern in _GATED_RULES
    )


def _family_only_explains_the_day(light, other_views):
    """Is every child named only in a past errand or in the child's own event, each in a sentence that
    asks nothing or asks only for a showing time ("my son's graduation is Saturday, could we see it
    Sunday?"), with no other fair-housing topic left once those are set aside? Sentences are read in the
    light view, the only one that keeps the question marks."""
    mentions = [m for rx in _CIRCUMSTANCES for m in rx.finditer(light)]
    if not mentions:
        return False
    for mention in mentions:
        sentence_end = _SENTENCE_END.search(light, mention.end())
        if sentence_end and sentence_end.group() == "?" and not _asks_only_for_a_time(light, mention, sentence_end):
            return False
    return not any(
        _names_fair_housing_topic(_without_circumstances(view)) for view in (light, *other_views)
    )


def _without_circumstances(view):
    for rx in _CIRCUMSTANCES:
        view = rx.sub(" ", view)
    return view


_SENTENCE_END = re.compile(r"[.!?]")
_CIRCUMSTANCES = (_FAMILY_ERRAND, _FAMILY_EVENT, _CHILD_WORK, _OBSERVANCE)
_TIME_ASK = _c(
    r"\b(?:see|view|visit|tour|come|stop by|showing|viewing|instead|reschedul\w*|another (?:day|time)|other day"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|today|tonight|(?:this|next) week(?:end)?|morning|afternoon"
    r"|evening|\d{1,2}(?::\d\d)? ?(?:am|pm))\b"
)
# The question weighs the lead's circumstances ("is that a problem?"), not a time: a person answers it.
_JUDGES_CIRCUMSTANCES = _c(
    r"\b(?:is|would|will|does) (?:that|this|it|he|she|they)(?: be)? (?:a problem|an issue|ok|okay|alright|all right"
    r"|allowed|fine|acceptable)\b|\bproblem|\bissue|\bmind\b|\bbother|\ballowed\b"
)


def _asks_only_for_a_time(light, mention, sentence_end):
    """The question around the child's event or errand asks for a showing time and weighs nothing else."""
    start = max(light.rfind(mark, 0, mention.start()) for mark in ".!?") + 1
    asked = light[start:mention.start()] + " " + light[mention.end():sentence_end.start()]
    return bool(_TIME_ASK.search(asked)) and not _JUDGES_CIRCUMSTANCES.search(asked)


def _accommodation(view):
    if _ACCOMMODATION.search(view):
        return True
    # A disability named in a request ("I'm deaf, can we ...", "I use a wheelchair, is there ...").
    return bool(_DISABILITY_CUE.search(view)) and bool(
        re.search(r"\?|\b(?:can|could|would|will|need|needs|require|allow|possible|able to|okay|ok)\b", view)
    )


_QUOTE_HEADER = re.compile(
    r"^\s*(?:on\b.{0,160}\bwrote:|-{2,}\s*original message|from:\s|sent from my)",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED_LINE = re.compile(r"^\s*>.*$", re.MULTILINE)
_QUOTE_KEYS = ("wrote:", "original message", "from:", "sent from my", ">")


def strip_quoted(text):
    """The lead's own words: without a quoted earlier message ("On Mon, X wrote:", "> ...") or a signature."""
    text = text or ""
    header = _QUOTE_HEADER.search(text)
    if header:
        text = text[: header.start()]
    return _QUOTED_LINE.sub("", text)


def _opted_out(light):
    if _OPT_OUT_NEGATED.search(light):
        return False
    if _OPT_OUT.search(light):
        return True
    if any(map(light.__contains__, _OPT_OUT_ES_KEYS)) and _OPT_OUT_ES.search(light):
        return True
    if _OPT_OUT_OTHER.search(light):
        return True
    if _OPT_OUT_ALONE.match(light):
        return True
    # A keyword that is a sentence of its own counts ("Found a place. STOP."), unless the rest corrects a
    # time ("Stop! I meant Sunday at 2"); when in doubt it is an opt-out. Only short sentences can be a
    # bare keyword.
    sentences = _SENTENCE_BREAK.split(light)
    keyword = any(len(s) <= 60 and _OPT_OUT_ALONE.match(s.strip()) for s in sentences)
    if keyword and _STOP_EXCLAIMED.match(light) and _WANTS_IT.search(light):
        return False  # "Stop! This is exactly what I've been looking for": delight, not an opt-out
    return keyword and not (_CORRECTION.search(light) and _TIME_TALK.search(light))


_STOP_EXCLAIMED = re.compile(r"^\s*stop\s*!+\s*\S")
_WANTS_IT = re.compile(
    r"\b(?:(?:when|can|could|may) (?:can )?i (?:come )?(?:see|view|visit|tour)|exactly what i(?:'ve| have)? been looking for"
    r"|(?:i'?d|i would) love to (?:see|view|visit)|i want (?:it|this|this one))\b"
)


_CORRECTION = re.compile(r"\b(?:i meant|meant to say|wrong (?:day|time|date)|i mean|correction)\b")
_TIME_TALK = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?s?\b|\b\d{1,2}(?::\d{2})? ?(?:am|pm)\b|\b\d{1,2}:\d{2}\b"
    r"|\b(?:tomorrow|tonight|weekend|morning|afternoon|evening)\b"
)


def own_lines(text):
    """The message without the lines it quotes ("> ..."), the quote header ("On Tue, X wrote:") and
    "Sent from my iPhone": what the lead wrote, wherever they wrote it (above or below the quote)."""
    if not any(map(text.__contains__, (">", "wrote:", "Sent from", "sent from", "Original Message", "original message"))):
        return text
    return _QUOTE_HEADER_LINE.sub("", _QUOTED_LINE.sub("", text))


_QUOTE_HEADER_LINE = re.compile(
    r"^\s*(?:on\b.{0,160}\bwrote:|-{2,}\s*original message\s*-*|sent from my \w+(?: \w+)?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def assess_inbound(text):
    """Risk flags for one inbound message (see ALL_FLAGS); empty for an ordinary message. Our own offer
    quoted in the reply ("> Section 8 welcome. Reply STOP to opt out") is not the lead's."""
    if not text:
        return frozenset()
    text = own_lines(text) or text
    light, views = _views(text)
    flags = set()
    for view in views:
        for flag, pattern in _WORD_RULES:
            if flag not in flags and pattern.search(view):
                flags.add(flag)
        for flag, keys, pattern in _GATED_RULES:
            if flag not in flags and any(map(view.__contains__, keys)) and pattern.search(view):
                flags.add(flag)
        if ACCOMMODATION_REQUEST not in flags and _accommodation(view):
            flags.add(ACCOMMODATION_REQUEST)
    if FAIR_HOUSING_TOPIC in flags and _family_only_explains_the_day(light, views[1:]):
        flags.discard(FAIR_HOUSING_TOPIC)
    if _SSN.search(light) or _has_card_number(light):
        flags.add(PAYMENT_OR_PII)
    if ACCOMMODATION_REQUEST in flags or VOUCHER_QUESTION in flags:
        flags.add(FAIR_HOUSING_TOPIC)
    # Only the lead's own words opt out: "Reply STOP to opt out" in our quoted offer is not theirs, and
    # "STOP" above a quoted message is a sentence of its own.
    own = strip_quoted(text) if any(map(light.__contains__, _QUOTE_KEYS)) else text
    if _opted_out(light if own == text else _light(own)):
        flags.add(OPT_OUT)
    return frozenset(flags)


# Flags that make triage escalate (everything except the opt-out, which ends the conversation).
ESCALATING_FLAGS = ALL_FLAGS - {OPT_OUT}


def prepare(text):
    """The light view every triage reader uses: case, width, quotes, zero-width, whitespace."""
    return _light(text or "")
