"""The built-in outbound rules: one list, each rule with a stable id, a category and a message.

Rules are written about the categories, not about example sentences: a fair-housing rule is a
*cue* (exclusion, preference, requirement, description, inquiry) next to a *protected-class term*.
Patterns run on the `words` view (lowercase words, single spaces, "," and "|" as pause and sentence
markers, see normalize.py) unless `view="folded"`, where digits and punctuation are intact.
"""

import re
from dataclasses import dataclass, field, replace

from guardrails.triggers import first_words

FAIR_HOUSING = "fair_housing"
PII = "pii"
PAYMENT = "payment"
ABUSE = "abuse"
PROMISE = "promise"
INJECTION_LEAK = "injection_leak"
CATEGORIES = (FAIR_HOUSING, PII, PAYMENT, ABUSE, PROMISE, INJECTION_LEAK)
CATEGORY_LABELS = {
    FAIR_HOUSING: "Fair housing",
    PII: "Personal data",
    PAYMENT: "Payment / scam risk",
    ABUSE: "Tone",
    PROMISE: "Promise we cannot make",
    INJECTION_LEAK: "Template or AI text leak",
}

WORDS = "words"
FOLDED = "folded"


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    pattern: re.Pattern
    message: str
    view: str = WORDS
    # Drop the match when a negation ("never", "don't", "no") comes just before it in its clause.
    negatable: bool = False
    # Drop the match when it contains a negation itself ("approval isn't guaranteed").
    negation_inside_clears: bool = False
    # Drop the match when its clause hedges ("if approved", "I'll check whether ...").
    hedgeable: bool = False
    # Only active when this jurisdiction switch is on (see engine.Policy).
    switch: str = ""
    # Optional extra check on the regex match (Luhn, SSN ranges, third-party context ...).
    validate: object = None
    # Named groups that say which protected class matched, for the message.
    class_messages: dict = field(default_factory=dict)
    # The pattern starts with a protected-class term: the engine tries it only where a term starts.
    term_anchored: bool = False
    # Cheap pre-check: the rule runs only if one of these substrings occurs in its view ...
    requires: tuple = ()
    # ... and, when set, only if this (simple, fast) pattern is found in it.
    precheck: re.Pattern | None = None
    # Worked out from the pattern (triggers.py): the rule runs only if one of these whole words is
    # in the words view or one of the prefixes occurs in it. None: always run.
    trigger_words: frozenset | None = None
    trigger_prefixes: tuple = ()


def alt(*parts):
    return "(?:" + "|".join(parts) + ")"


def window(n, breaks=None):
    """Up to n words inside one clause, not crossing a contrast word ("no pets except service animals")."""
    return rf"(?:(?!{breaks or _BREAK}\b)[^ |,]+ ){{0,{n}}}"


def cue_window(n):
    """Between a cue and its class term a preposition also ends the link ("no playground for kids")."""
    return window(n, _BREAK_CUE)


_BREAK = alt("except", "but", "besides", "excluding", "unless", "although", "though", "and", "however",
             "apart", "if", "because", "welcome", "welcomed", "including", "plus", "than")
_BREAK_CUE = alt(_BREAK, "for", "with", "near", "nearby", "by", "of", "in", "at", "from", "on", "around", "across",
                 "behind", "next", "beside", "about", "like")

# ----------------------------------------------------------------------------------------------
# Protected-class vocabularies (words view). Nouns that follow a class word but make it a thing,
# not a person ("kids' room", "Indian restaurant", "Jewish community center") end the term.

_THING = alt(
    "room", "rooms", "playground", "park", "parks", "pool", "play", "area", "school", "schools", "menu",
    "toys", "furniture", "bedroom", "bed", "beds", "section", "club", "camp", "center", "centre", "church",
    "churches", "restaurant", "restaurants", "food", "store", "stores", "grocery", "groceries", "market",
    "deli", "cuisine", "festival", "holiday", "holidays", "temple", "mosque", "synagogue", "museum", "history",
    "heritage", "activities", "programs", "program", "stuff", "things", "clothes", "books", "games", "events",
    "classes", "sports", "gate", "gates", "seat", "seats", "size", "sized", "friendly", "proof", "safe",
    "home", "house", "owned", "run", "business", "style", "dinner", "members", "member", "of", "shelves",
    "shelving", "brick", "paint", "walls", "tile", "tiles", "appliances", "cabinets", "trim", "oak", "pine",
    "cave", "made", "hours", "trees", "tree", "garden", "doors", "door", "floors", "floor", "ramp",
    "accessible", "access", "bathroom", "parking", "spot", "spots", "space", "lift", "elevator",
)
_END = rf"\b(?! (?:'s )?{_THING}\b)"

_PERSON = alt(
    "people", "persons?", "person", "folks?", "tenants?", "renters?", "residents?", "occupants?", "applicants?",
    "roommates?", "housemates?", "flatmates?", "neighbou?rs?", "families", "family", "professionals?", "couples?",
    "m[ae]n", "wom[ae]n", "guys?", "girls?", "ladies", "lady", "kids", "children", "individuals?", "crowd",
    "community", "households?", "students?", "workers?", "owners?", "buyers?", "types?", "ones?", "only",
)
_PLACE = alt("neighbou?rhoods?", "areas?", "communit(?:y|ies)", "enclaves?", "part of (?:town|the city)",
             "side of town", "blocks?", "streets?", "buildings?", "complex", "suburbs?", "towns?", "district")

CLASS_TERMS = {
    "familial_status": alt(
        r"kid[sz]?", "kiddos?", r"child(?:ren)?", "babies", "baby", "infants?", "toddlers?", "newborns?",
        "teens?", "teenagers?", "minors", r"famil(?:y|ies)(?: with (?:kids|children|(?:a )?bab(?:y|ies)))?",
        r"pregnan(?:t|cy)(?: (?:women|woman|tenants?|couples?|people|ladies))?",
        r"expecting (?:mothers?|moms?|parents|couples?)", r"(?:single )?(?:moms?|mothers?|dads?|fathers?|parents)",
        r"(?:a )?baby on the way", "adults?", r"little ones?", r"having (?:a baby|kids|children)",
        # "if you're expecting, ...": pregnancy only when nothing follows ("expecting a delivery" is not).
        r"expecting(?= [|,]| (?:a )?(?:baby|babies|child|twins)\b)",
    ),
    "sex": alt(
        "males?", "females?", "m[ae]n", "wom[ae]n", "guys?", "girls?", "boys?", "lad(?:y|ies)", "gentlem[ae]n",
        "gals?", "dudes?", "bros?", "ma'?am",
    ),
    "sexual_orientation_gender_identity": alt(
        "gays?", "lesbians?", "homosexuals?", "bisexuals?", "queers?", r"lgbtq?i?a?", "transgenders?",
        rf"trans(?:gender)?(?: {_PERSON})?", rf"non ?binary(?: {_PERSON})?", "same sex couples?",
        rf"straight (?:{_PERSON})", "straights", "heterosexuals?",
    ),
    "race_color_national_origin": alt(
        rf"(?:white|black|brown|yellow|red) (?:skinned )?{_PERSON}", "whites", "blacks", "caucasians?",
        r"african(?: americans?)?s?", r"afro (?:americans?|caribbeans?)", "hispanics?", r"latin[oax]s?",
        "asians?", "arabs?", "orientals?",
        rf"(?:chinese|indian|mexican|arab|arabic|korean|japanese|filipino|vietnamese|pakistani|somali|haitian|russian|polish|irish|italian|jamaican|nigerian|middle eastern|eastern european|european|american|foreign|immigrant|ethnic|hispanic|latino|asian|african|white|black) (?:{_PERSON})",
        "mexicans", "indians", "koreans", "filipinos", "pakistanis", "somalis", "haitians", "russians",
        "jamaicans", "nigerians", "puerto ricans", "dominicans", "immigrants?", "foreigners?",
        rf"minorit(?:y|ies)(?: {_PERSON})?", r"people of colou?r", "poc", "bipoc", r"non ?whites?",
        r"colou?red (?:people|folks)", "ethnics", r"(?:non )?(?:native )?english speakers", "natives",
        r"non ?americans?", "americans",
        r"(?:russian|spanish|chinese|mandarin|cantonese|arabic|hindi|urdu|korean|polish|french|creole|haitian|portuguese|vietnamese|tagalog|yiddish|hebrew|bengali|english|native english|non english|foreign language)(?: speaking)? (?:speakers|speaking (?:people|families|tenants|community|residents|crowd|folks|neighbou?rs))",
    ),
    "religion": alt(
        "christians?", "catholics?", "protestants?", rf"jew(?:s|ish)?(?: {_PERSON})?", "muslims?", "moslems?",
        rf"islamic(?: {_PERSON})?", "hindus?", "sikhs?", "buddhists?", "mormons?", "atheists?", "agnostics?",
        "evangelicals?", r"church ?goers", "church going", "god fearing", rf"religious(?: {_PERSON})?",
        "believers", r"non ?believers", rf"orthodox (?:jews|{_PERSON})", "hasidic", "amish",
        r"(?:go|goes|going|attend|attends|attending|belong|belongs) (?:to )?(?:a |the )?(?:church|mosque|synagogue|temple|mass|services|congregation)",
    ),
    "disability": alt(
        rf"handicap(?:ped)?(?: {_PERSON})?", rf"disabled(?: {_PERSON})?", r"disabilit(?:y|ies)",
        r"wheelchair (?:users?|bound)", r"(?:people|persons|tenants|anyone|someone|one|those|folks) (?:in|using|with|on|who use|who uses|who need|who needs) (?:a )?(?:wheelchairs?|walkers?|crutches)",
        r"(?:a )?wheelchairs?", r"mentally (?:ill|disabled|challenged|handicapped|unstable)",
        r"mental (?:illness|illnesses|health (?:issues|problems|conditions))", r"psychiatric (?:patients|conditions?|issues|problems)",
        "crazy people", rf"blind(?: {_PERSON})?", rf"deaf(?: {_PERSON})?", "addicts", r"recovering (?:addicts|alcoholics)",
        "alcoholics", r"(?:service|assistance|support|therapy|companion|emotional support) (?:animals?|dogs?|pets?|cats?)",
        "esas?", r"esa letters?", r"guide dogs?", r"hiv(?: positive)?", "aids patients", rf"autistic(?: {_PERSON})?",
        "special needs", "invalids", r"cripples?", "crippled", "elderly or disabled", "walkers", "crutches",
        rf"able bodied(?: {_PERSON})?", rf"non ?disabled(?: {_PERSON})?",
    ),
    "age": alt(
        rf"elderly(?: {_PERSON})?", r"seniors?(?: citizens)?", rf"old(?:er)? {_PERSON}", "old folks", "retirees",
        rf"retired {_PERSON}", rf"young(?:er)?(?: {_PERSON})?", "youngsters", "youth", "millennials", r"gen ?z(?:ers)?",
        "boomers", rf"mature(?: {_PERSON}| adults?)?",
        r"(?:under|over|above|below|older than|younger than) (?:the age of |age )?(?!1[89]\b|21\b)\d\d",
        r"(?:in )?(?:their|your) (?:20|30|40|50|60|70|twenties|thirties|forties|fifties|sixties)s?",
        r"between (?:the ages of |ages )?\d\d and \d\d",
        rf"[2-9]0s (?:crowd|{_PERSON})", r"twenty ?somethings", "middle aged",
    ),
    "marital_status": alt(
        "singles", r"single (?:person|people|persons|tenants?|renters?|professionals?|m[ae]n|wom[ae]n|guys?|girls?|lad(?:y|ies)|gentlem[ae]n|individuals?|adults?|parents?|moms?|mothers?|dads?|fathers?)",
        rf"married(?: {_PERSON})?", rf"unmarried(?: {_PERSON})?", "couples?(?! of)", r"divorc(?:ed|ees?)",
        r"widow(?:s|ed|ers?)?", "spouses?", "bachelors?", "spinsters?",
    ),
    "citizenship_immigration": alt(
        r"(?:us |u s |american |legal )?citizens?(?:hip)?", r"green cards?(?: holders)?", r"(?:us|american|u s) passports?",
        r"legal (?:status|residents?|immigrants?|residency)", r"(?:legal )?papers",
        "documented", rf"undocumented(?: {_PERSON}| immigrants)?", "illegals", r"illegal (?:immigrants|aliens)", "aliens",
        "visa holders", r"(?:work|valid) visas?", r"visas?(?: status)?(?! (?:cards?|debit|credit|gift|prepaid|signature|logo))(?= (?:or|and|\||,)|$)",
        r"immigration (?:paperwork|papers|documents|documentation|status)", r"naturali[sz]ation (?:papers|certificates?|documents)", r"daca(?: recipients)?", "refugees", "asylum seekers",
        r"permanent residents?", r"social security (?:cards?|numbers?)",
        r"born (?:in (?:the )?(?:us|usa|u s|u s a|united states|states|america|this country|the country)|here|abroad|overseas|outside (?:the )?(?:us|country|united states))",
    ),
    "source_of_income": alt(
        r"section (?:8|eight)", r"sec(?:t|tion)? ?8", r"sec \| 8", "s8", r"(?:housing )?(?:choice )?vouchers?(?: holders| tenants| programs?)?",
        "hcv", r"(?:housing|rental|government|gov't|govt|public|state|federal|city|third party) (?:assistance|programs?|subsid(?:y|ies)|benefits|aid|payments?|checks?)",
        "programs", r"subsid(?:y|ies)", rf"subsidi[sz]ed(?: {_PERSON}| housing)?", r"welfare(?: recipients)?", "ssi", "ssdi",
        r"(?:social security|disability) (?:income|benefits|checks?)", "food stamps", "ebt", r"city ?fheps", "fheps", "hasa",
        "hopwa", r"hud(?: vouchers| tenants| programs?)?", "government housing", "housing authority", "rental assistance",
    ),
}
# Bare adjectives that describe people only when a people/place noun is the subject ("the area is mostly white").
DESCRIPTIVE_ADJECTIVES = {
    "race_color_national_origin": alt("white", "black", "brown", "hispanic", "latino", "latina", "asian", "african",
                                     "arab", "mexican", "chinese", "indian", "korean", "russian", "polish",
                                     "irish", "italian", "immigrant", "foreign", "ethnic"),
    "religion": alt("jewish", "christian", "muslim", "catholic", "mormon", "hindu", "religious", "orthodox", "hasidic"),
    "sex": alt("male", "female", "all male", "all female"),
    "sexual_orientation_gender_identity": alt("gay", "lesbian", "straight", "queer", "trans"),
    "age": alt("young", "old", "older", "elderly", "retired", "mature", "seniors", "retirees"),
    "marital_status": alt("married", "single", "unmarried", "couples"),
    "familial_status": alt("families", "childless", "families with (?:kids|children)"),
    "disability": alt("disabled", "handicapped"),
}

CLASS_LABELS = {
    "familial_status": "children or family status",
    "sex": "sex",
    "sexual_orientation_gender_identity": "sexual orientation or gender identity",
    "race_color_national_origin": "race, colour or national origin",
    "religion": "religion",
    "disability": "disability",
    "age": "age",
    "marital_status": "marital status",
    "citizenship_immigration": "citizenship or immigration status",
    "source_of_income": "source of income (vouchers, programs)",
}
SOI = "source_of_income"


def _class_group(classes, terms=CLASS_TERMS):
    return alt(*(f"(?P<{name}>{terms[name]})" for name in classes))


_ALL = tuple(CLASS_TERMS)
_GOOD_FOR_CLASSES = tuple(c for c in _ALL if c not in ("familial_status", "marital_status"))

_AUX_NOT = r"(?:(?:do|does|did|will|can|could|would|shall|should)(?: not|n't|nt)|don't|dont|doesn't|doesnt|won't|wont|can't|cant|cannot|can not|wouldn't|wouldnt|never|not)"
_EXCLUDE_VERB = alt("accept", "accepting", "take", "taking", "allow", "allowing", "permit", "rent to", "renting to",
                    "lease to", "leasing to", "want", "consider", "work with", "entertain", "welcome", "deal with",
                    r"show (?:it |the (?:unit|room|apartment) )?to", "accommodate", "approve", "house", "host",
                    "have", "participate in", "do")
EXCLUSION_CUE = alt(
    "no", r"(?:not|isn't|isnt|aren't|arent|wasn't|is not|are not) (?:really |exactly |very |quite |so |that |particularly |too |the best |ideal |great |well |properly |a good |the right )?(?:for|suited (?:for|to)|suitable for|meant for|built for|set up for|equipped for|designed for|good for|great for|ideal for|appropriate for|right for|open to|available to|a (?:good |great )?fit for|a match for|safe for|friendly (?:to|for))", "nothing for", "no room for", "no place for", "sorry no", "absolutely no", "strictly no",
    r"not (?:for|suitable for|ideal for|appropriate for|good for|great for|a good fit for|a fit for|a match for|meant for|designed for|built for|set up for|equipped for|open to|available to|allowed for|safe for|right for)",
    "unsuitable for", "inappropriate for", rf"{_AUX_NOT} {_EXCLUDE_VERB}",
    r"not (?:so|as|that|too) much for", r"less (?:so |suited |ideal |suitable |good |great |of a fit )?for",
    # "not comfortable renting to ...", "uncomfortable having ...": discomfort is refusal in other words.
    r"(?:(?:not|never|isn't|isnt|aren't|arent|wasn't|weren't)(?: really| very| entirely| totally| that| too)?(?: (?:be|feel))? comfortable|uncomfortable) (?:(?:renting|leasing|showing|offering|subletting)(?: (?:it|the (?:room|unit|apartment|place)))? to|with|having|housing|accepting|taking)",
    r"(?:not|never|isn't|isnt|aren't|arent|wasn't) (?:really |generally |usually )?(?:recommended|advisable|advised|intended|a (?:good |great )?(?:idea|option|choice)) for",
    r"(?:isn't|isnt|aren't|arent|wasn't) (?:for|suitable for|ideal for|a good fit for|a fit for|right for|open to|meant for)",
    r"(?:refuse|reject|turn away|decline|exclude|ban|prohibit|bar|forbid)(?:s|d|ed|ing)?(?: to (?:rent|lease) to)?",
    r"(?:prefers?|preferred|preferring|would rather|i'd rather|we'd rather|they'd rather) not (?:to )?(?:rent|lease|show(?: it)?|sublet|offer it)(?: (?:it|the (?:room|unit|apartment|place)))? to",
    r"won't work (?:for|with)", r"no exceptions? for",
    r"(?:don't|do not|didn't|not|never) (?:bring|have|keep|get|move in with|come with)(?: (?:your|any|a|the))?",
    r"(?:a |the )?(?:bad|poor|terrible|wrong|horrible|awful) (?:fit|match|choice|place|option|home|idea) for",
    r"not(?= (?:people|persons|tenants|applicants|anyone|someone|those|folks|renters|families|couples) (?:on|with|who|using|receiving|in|from|getting) )",
    r"(?:had|have had|we've had|i've had|bad experiences?|problems|issues|trouble|nothing but (?:trouble|problems)) with",
    r"(?:not|no longer|aren't|are not|don't|do not|won't|can't|cannot) (?:accepting|accept|taking|take|considering|consider|processing|reviewing) (?:any )?(?:applications?|applicants|inquiries|tenants|offers|leads) (?:from|by|for)", "keep out", "nobody who is", "no one who is",
    r"(?:no one|nobody|no tenants?|no applicants?|no renters?|no people|no families|no couples) (?:with|who (?:has|have|is|are)|having)",
    r"not (?:a |the )?(?:good|great|safe|right|suitable|ideal|nice|comfortable) (?:place|fit|match|home|option|choice|unit|building|apartment|room|spot|setup|environment) for",
)
EXCLUSION_AFTER = alt(
    r"(?:are |is |'re )?(?:not|n't|never) (?:allowed|permitted|accepted|welcome|welcomed|eligible|considered|suitable|ideal|a good fit|a fit|wanted|approved|an option)",
    r"(?:isn't|aren't|isnt|arent|wasn't|weren't) (?:allowed|permitted|accepted|welcome|eligible|a good fit|a fit|ideal|suitable|wanted|an option)",
    r"need not apply", r"needn't apply", r"(?:should|shouldn't|should not) (?:not )?apply",
    r"(?:do|does)(?:n't| not|nt) (?:qualify|fit in|fit|work here|belong)",
    r"(?:won't|wont|will not|wouldn't|would not|can't|cannot|could not|couldn't) (?:fit|work|qualify|be (?:accepted|considered|allowed|approved|a good fit|comfortable|happy here))",
    r"stay away", r"keep out", r"(?:are|is) (?:a )?(?:no ?go|prohibited|banned|excluded|forbidden|out)",
    r"(?:will|would|are|is|get|gets|shall) (?:be )?(?:automatically )?(?:rejected|denied|declined|refused|turned away|disqualified|screened out|turned down)",
    r"(?:can't|cannot|can not|couldn't|could not|may not|shouldn't|should not|aren't allowed to|are not allowed to|aren't able to|won't be able to) (?:live|rent|stay|move in|apply|be here|have the unit|lease|sign)",
    r"(?:would|will|might|may|could) (?:really |probably |definitely )?(?:struggle|suffer|have (?:a )?(?:hard time|tough time|trouble|difficulty|problems))",
    r"(?:won't|wouldn't|can't|couldn't|will not|would not) (?:be able to )?(?:manage|cope|handle it|make it)",
    r"(?:tend to|tends to|usually|always|often|typically|generally|all) (?:fall behind|pay late|cause|make (?:noise|a mess|trouble)|bring|damage|break|skip out|leave early|miss (?:rent|payments)|default|be late|not pay|get evicted|complain|party|fight|steal)",
    r"(?:tend to be|tends to be|are usually|are always|are often|can be|are|is|bring|brings|cause|causes|mean|means) (?:too |so |very |really |a lot of |more )?(?:noisy|loud|trouble|troublesome|a problem|problems|problematic|messy|dirty|difficult|risky|a risk|a liability|liabilities|a hassle|hassles|destructive|unreliable|drama|damage|wear and tear)",
    r"(?:won't|wouldn't|will not|would not|don't|do not|never) (?:really )?(?:enjoy|like|be happy|be comfortable|feel comfortable|feel at home|last|fit in)(?: it| living)?(?: here| there| in this| in the)?",
    r"(?:should|might want to|may want to|would do better to|could|can) (?:look at|try|consider|see|check out|go to|apply (?:to|at|for))(?: [^ |,]+){0,5} (?:instead|elsewhere|other (?:building|property|unit|location|complex)s?|another (?:building|property|unit|location|complex))",
    r"(?:should|might want to|may want to|would have to|need to|needs to|must|had better|better|can) (?:look|go|try|find|search|stay|live|rent|apply)(?: [^ |,]+){0,5} (?:elsewhere|somewhere else)",
)
PREFERENCE_CUE = alt(
    r"only(?: (?:rent|lease|show|accept|take|allow|consider|welcome|looking for|seeking|open to|for|renting|leasing|showing|accepting|taking|allowing|considering|interested in))?(?: (?:it|the (?:room|unit|apartment|place)|this (?:room|unit|apartment|place)))?(?: to)?",
    r"prefer(?:s|red|ably|ence for|ences for|ring)?", r"(?:ideal|perfect|best|better|suited|suitable|intended|meant|designed|reserved|geared|tailored|aimed|targeted|right|reserved|best suited|better suited) (?:for|to|towards?)",
    r"(?:a |the )?(?:perfect|ideal|good|great|better) (?:fit|match) for", "looking for", "seeking", "in search of",
    "searching for", r"(?:would|i'd|we'd|they'd|he'd|she'd) (?:like|love|prefer)",
    r"(?:wants?|wanted)(?: only)?(?= (?:tenants|renters|roommates|applicants|people|someone|a tenant|a roommate|residents|folks|a couple|couples|men|women|a man|a woman|somebody) )",
    r"(?:would be|'d be|would feel|feel|be|is|are|am) (?:more comfortable|happier|most comfortable) (?:with|renting to|having)",
    r"(?:would|i'd|we'd|they'd|he'd|she'd) rather(?: (?:rent|lease|have|show it|go with|take))?(?: (?:it|the (?:room|unit|apartment|place)))?(?: to)?", r"(?:would|will) suit", "suits",
    r"favou?r(?:s|ing)?", r"priority (?:to|for)", r"(?:limited|restricted|exclusive) to", "exclusively(?: for)?",
    "catering to", "caters to", "targeting", "just for", "strictly for",
    r"(?:a |the |this )?(?:neighbou?rhood|area|community|building|block|street|house|complex|place) (?:for|of|made for|built for|full of)",
)
GOOD_FOR_CUE = r"(?:great|good|nice|lovely) for"
PREFERENCE_AFTER = alt("only", "preferred", "prefered", "preferably", "wanted", "desired", "welcome only",
                       "a must", "a plus", "strongly preferred",
                       r"(?:would|will|'d) be (?:ideal|perfect|great|best|preferred|a (?:good|great|better|perfect) fit|better|the best fit)",
                       r"(?:is|are) (?:ideal|preferred|perfect|the best fit)",
                       r"(?:fit|fits|do|does|work|works|suit|suits) (?:best|better|well here|great here|best here)", r"(?:get|have|given) (?:priority|preference)",
                       "first priority", "exclusively", "please", "ideally")
REQUIREMENT_CUE = alt(
    r"(?:must|should|shall|has to|have to|need to|needs to|required to|are required to|is required to|got to|gotta)(?: (?:be|have|show|provide|prove|present|speak|bring|submit)| be able to show)",
    r"(?:we |landlord |owner |building )?(?:require|requires|required|requiring)", r"requirements?(?: (?:is|are))?",
    r"proof of", r"(?:need|needs) (?:a|an|your|to see (?:a|an|your))", r"only with (?:a|an)",
    r"(?:prove|proving|verify|verifying)(?: (?:your|that you are|that you're|you are|you're))?",
    r"(?:must|should|need to|needs to|has to|have to) have been",
)
_DETERMINER = r"(?:(?:a|an|the|your|any|all|some|valid|legal|proof of|proof that you are|documentation of|current|real) )*"
DESCRIPTION_CUE = alt(
    "mostly", "mainly", "predominantly", "primarily", "largely", "overwhelmingly", "heavily", "almost all",
    "almost entirely", "entirely", "exclusively", "full of", "lots of", "a lot of", "plenty of", "tons of",
    "many", "not many", "very few", "few", "hardly any", "barely any", "a bunch of", "filled with",
    "dominated by", r"(?:the |a )?majority(?: of)?", r"(?:the |a )?minority(?: of)?", r"no (?:more|longer)",
    "too many", "so many", "lots of other", "overrun (?:by|with)", "taken over by", "a few",
)
_PEOPLE_SUBJECT = alt(
    r"roommates?", r"housemates?", r"flatmates?", "tenants", "residents", r"neighbou?rs", "people", "folks",
    "everyone", "everybody", "community", r"neighbou?rhood", "area", "block", "household",
    "occupants", "crowd", "population", "demographic", "demographics", r"building(?!s)", "complex", "street",
)
_BE = r"(?:here |there |around here |nearby |in (?:the|this) (?:building|area|neighbou?rhood|house) )?(?:is|are|'re|'s|seem|seems|tend to be|being|were|was)"
_INTENSIFIER = r"(?:(?:all|mostly|mainly|predominantly|primarily|largely|very|pretty|quite|really|almost all|entirely|exclusively|two|three|four|both|nice|quiet|older|young|friendly|a|an|the|other|of|them|us|we) )*"

_FH_MESSAGE = {
    "exclusion": "Excludes or limits people by {label}: fair-housing risk. Describe the unit and the lawful "
                 "screening criteria, never who may or may not live there.",
    "preference": "States a preference about {label}: fair-housing risk. Describe the unit, not the tenant.",
    "requirement": "Sets a requirement about {label}: fair-housing risk. Use the written screening criteria "
                   "that apply to every applicant.",
    "description": "Describes residents or the neighbourhood by {label}: fair-housing (steering) risk. "
                   "Describe amenities and distances instead.",
    "inquiry": "Asks about {label}: fair-housing risk. Ask only what the application asks every applicant.",
}


# In the words view every word starts after a space (or at 0); this lookbehind is much cheaper for
# the regex engine than a leading \b, which also succeeds at word ends and inside "don't".
WORD_START = r"(?<![^ ])"


def _words_pattern(pattern):
    if pattern.startswith(r"\b"):
        pattern = WORD_START + pattern[2:]
    # Alternatives that start at a word ("...|\bno questions asked") get the same cheap anchor.
    return re.compile(pattern.replace(r"|\b", "|" + WORD_START))


def _triggers(compiled):
    found = first_words(compiled)
    if found is None:
        return {}
    whole, prefixes = found
    if not compiled.pattern.startswith(WORD_START):
        # Not anchored at a word start: a first word may sit inside a longer one.
        whole, prefixes = frozenset(), tuple(sorted(set(prefixes) | whole))
    return {"trigger_words": whole, "trigger_prefixes": prefixes}


def _fh_rule(rule_kind, pattern, **kwargs):
    messages = {name: _FH_MESSAGE[rule_kind].format(label=label) for name, label in CLASS_LABELS.items()}
    compiled = _words_pattern(pattern)
    return Rule(
        id=f"fair_housing.{rule_kind}",
        category=FAIR_HOUSING,
        pattern=compiled,
        message=_FH_MESSAGE[rule_kind].format(label="a protected class"),
        class_messages=messages,
        **kwargs,
        **_triggers(compiled),
    )


def _rule(rule_id, category, pattern, message, **kwargs):
    if kwargs.get("view") == FOLDED:
        return Rule(id=rule_id, category=category, pattern=re.compile(pattern), message=message, **kwargs)
    compiled = _words_pattern(pattern)
    return Rule(id=rule_id, category=category, pattern=compiled, message=message, **kwargs, **_triggers(compiled))


_TERM_ALL = _class_group(_ALL)
# "tenants on Section 8", "people with disabilities", "anyone who uses a wheelchair"
_HOLDER = (r"(?:(?:(?:a |an |the )?(?:people|persons?|tenants?|applicants?|anyone|anybody|someone|somebody|those|folks|"
           r"renters?|residents?|individuals?|families|family|couples?|women|men|woman|man|guests?|roommates?|person)) "
           r"(?:on|with|who (?:are|is|have|has|use|uses|receive|receives|get|gets|need|needs|doesn't need|does not need|"
           r"don't need|do not need|doesn't have|does not have|don't have|do not have|doesn't use|don't use)|using|receiving|"
           r"in|from|of|getting|that (?:are|have|use)) (?:a |an |any )?)?")
_TERM_GOOD_FOR = _class_group(_GOOD_FOR_CLASSES)
# Language ability as a stand-in for national origin. Kept out of CLASS_TERMS (every rule tries those
# at every cue) and gated on "english"/"accent", so it costs nothing on ordinary replies.
_LANGUAGE_PROXY = (r"(?P<race_color_national_origin>(?:(?:people|persons|tenants|applicants|anyone|someone|somebody|those|folks|renters|families|residents|roommates) )?"
                   r"(?:(?:who|that) )?(?:(?:can't|cannot|don't|do not|doesn't|does not) )?(?:speak|speaks|speaking|with) "
                   r"(?:good |fluent |much |any |proper |limited |little |broken |poor |minimal |no )?english(?: proficiency| skills)?|"
                   r"(?:limited|broken|minimal) english(?: proficiency| skills)?|(?:(?:people|tenants|applicants|anyone|someone|those|folks) with )?(?:heavy|thick) accents?)")
_DIGITS = tuple("0123456789")
# SSNs, card numbers, phone numbers and IBANs all hold a run of four digits (or start with "+").
_FOUR_DIGITS = re.compile(r"\d{4}|\+\d")

# A sentence that opens with a refusal, the only place the "Label: value" rule can match.
_SENTENCE_MARK = r"\| "
_LABEL_REFUSAL = re.compile(
    _SENTENCE_MARK + r"(?:sorry |unfortunately )?(?:(?:no|nope|none|never|not|n/a|prohibited|banned|forbidden|excluded)(?= [|,]| ?$| (?:at|in|here|for|on|sorry|thanks|please)\b)"
    r"|(?:(?:are|is) )?(?:not|never|no longer) (?:allowed|accepted|permitted|welcome|considered|ok|okay|an option|eligible)\b"
    r"|(?:isn't|aren't|isnt|arent) (?:allowed|accepted|permitted|welcome|considered|ok|okay|an option|eligible)\b)"
)
_CONDITION_SUBJECT = r"(?:you|you're|youre|you are|you've|you have|your|anyone|someone|they|they're|there are|there's)"
# The turn-away that follows the condition: "won't work for you", "isn't a good fit", "we can't rent to you".
_NOT_A_FIT = alt(
    r"(?:probably |likely |really |just |definitely )?(?:won't|wouldn't|will not|would not|doesn't|does not|might not|may not|isn't going to)"
    r" (?:really |probably )?(?:work|suit you|be (?:a |the )?(?:good |great |right |best )?(?:fit|match|option|choice|place)|be (?:ideal|suitable|right|for you|comfortable|safe))",
    r"(?:isn't|is not|'s not|isnt|are not|aren't) (?:really |probably |exactly |the )?(?:ideal|suitable|a (?:good |great )?(?:fit|match|option|choice)|right|for you|the (?:right |best )?(?:place|fit|unit|option) for you|recommended)",
    r"(?:can't|cannot|can not|won't|will not|wouldn't|would not|don't|do not) (?:be able to )?(?:rent|lease|accept|approve|take|consider|accommodate|show)",
)

FAIR_HOUSING_RULES = [
    _rule("fair_housing.steering", FAIR_HOUSING,
          r"\b(?:(?:a |our |this is a |it's a )?(?:quiet |devout |practicing )?(?:christian|muslim|jewish|catholic|hindu|sikh|buddhist|mormon|faith[- ]based|religious|church[- ]going|god[- ]fearing)"
          r" (?:household|home|house|community(?! (?:center|centre|hall|college|garden))|family|building|flat|environment|landlord|owner)|shares? (?:our|the same) (?:values|faith|beliefs|religion)"
          r"|priority to (?:\w+ ){0,3}(?:congregation|church|parish|mosque|synagogue|temple|faith)"
          r"|(?:not much|no|little|zero|very little) diversity|if you know what i mean|(?:people|folks) from your (?:part of the world|country|culture|background)"
          r"|(?:more )?comfortable in (?:our |the )?(?:other|another) (?:building|property|location|place)|(?:feel|be) out of place"
          r"|(?:pretty much|mostly|almost all|all|largely|predominantly)(?: \w+){0,2} (?:white|black|asian|hispanic|latino|older|young|elderly) (?:people|retirees|families|folks|tenants|professionals|residents|crowd|couples))\b",
          "Describes or steers by who lives there (religion, national origin, race, age): describe the unit, never the people.",
          negatable=True,
          requires=('christian', 'muslim', 'jewish', 'catholic', 'hindu', 'sikh', 'buddhist', 'mormon', 'faith', 'religious', 'church', 'god', 'values', 'beliefs', 'religion', 'congregation', 'diversity', 'know what i mean', 'your part of', 'your country', 'your culture', 'your background', 'comfortable in', 'out of place', 'white', 'black', 'asian', 'hispanic', 'latino', 'older', 'young', 'elderly')),
    # Steering and different terms, each gated on the words it cannot do without (ordinary replies skip them).
    _rule("fair_housing.steering", FAIR_HOUSING,
          r"\b(?:you (?:may|might|would|will|could) (?:feel|be) more (?:at home|comfortable) (?:in|at|with)|neighbou?rhood is (?:very |quite |rather )?traditional"
          r"|(?:do you have|have you got|can you show (?:me|us)|send (?:me|us)) (?:a |an |your )?(?:green card|work permit|work visa|visa|social security card|proof of citizenship)"
          r"|priorit\w* (?:applications |applicants |tenants )?(?:from )?(?:women|men|females|males|couples|singles)|(?:a )?(?:female|male) tenant would"
          r"|(?:not keen on|doesn't allow|does not allow|doesn't accept|won't accept|can't accept|no) (?:emotional support|assistance|support) (?:animals?|dogs?|cats?)"
          r"|rehome (?:the|your) (?:cat|dog|animal|pet)|(?:pareja|persona) (?:joven )?sin hijos|no encaje con su familia"
          r"|(?:people|ppl|tenants|applicants|someone|somebody) (?:without|w o|w out) (?:section 8|vouchers?|kids|children|a disability|disabilities)"
          r"|(?:prefiere|prefieren) no (?:rentar|alquilar) a (?:familias|personas|gente|niños|mujeres|hombres)|s[oó] aceita (?:mulheres|homens|casais)"
          r"|(?:not|rather than|instead of) (?:the |a |on (?:the |a )?)?(?:disability pension|disability benefits?|pension|benefits|dss)"
          r"|priorit\w* (?:applicants |tenants |people )?who are (?:us |american |british |irish )?citizens|(?:on|with) (?:a )?work visas? (?:will be )?(?:considered last|last))\b",
          "Steers or sets different terms by a protected class (disability, family, national origin, sex, source of income): "
          "describe the unit and apply the same terms to everyone.", negatable=True,
          requires=("at home", "more comfortable", "traditional", "green card", "permit", "visa", "social security card", "citizenship", "priorit", "female tenant", "male tenant", "support animal", "support dog", "support cat", "assistance animal", "rehome", "sin hijos", "su familia", "without", "w o", "w out", "prefiere", "aceita", "pension", "benefit", "dss")),
    _rule("fair_housing.steering", FAIR_HOUSING,
          r"\b(?:(?:rather than|instead of|over) (?:someone|people|tenants|applicants|a tenant) (?:on|receiving|with|using|getting)"
          r" (?:housing assistance|benefits|vouchers?|section 8|welfare|dss|universal credit|public assistance)"
          r"|not (?:be )?(?:ideal|suitable|a good fit|right|the best fit) for (?:someone|anyone|people|a person|those|you) (?:with|who (?:has|have|uses?|is|are))"
          r" (?:mobility|a disability|disabilit\w*|a wheelchair|wheelchairs?|a walker|kids|children|a family|families|health)"
          r"|(?:extra|additional|larger|higher|bigger|double)(?: \S+){0,2} (?:deposit|fee|rent)(?: \S+){0,8}? (?:wheelchair|disabilit\w*|service (?:dog|animal)|support animal|children|kids|overseas|foreign|voucher)"
          r"|(?:applicants|tenants|people) from (?:overseas|abroad|other countries)(?: \S+){0,6}? (?:larger|extra|additional|higher|bigger|two months?)"
          r"|(?:families|tenants|people|anyone) with (?:young )?(?:children|kids|a baby|babies|toddlers)(?: \S+){0,5}? (?:aren't|are not|can't|cannot|won't be|not) (?:placed|allowed|permitted|housed|accepted))\b",
          "Steers or sets different terms by a protected class (disability, family, national origin, sex, source of income): "
          "describe the unit and apply the same terms to everyone.", negatable=True,
          requires=("assistance", "benefits", "voucher", "section 8", "welfare", "dss", "universal credit", "mobility",
                    "disab", "wheelchair", "walker", "kids", "children", "famil", "health", "service dog", "service animal",
                    "support animal", "overseas", "foreign", "abroad", "other countries", "a baby", "babies", "toddlers")),
    _rule("fair_housing.steering", FAIR_HOUSING,
          r"\b(?:ideal|perfect|great|best suited|suited|just right) for (?:empty nesters|retirees|young (?:professionals|couples|people)"
          r"|a (?:young )?couple|bachelors?|a bachelor|singles|mature (?:professionals|tenants|couples)|seniors)\b",
          "Steers or sets different terms by a protected class (disability, family, national origin, sex, source of income): "
          "describe the unit and apply the same terms to everyone.", negatable=True,
          requires=("empty nesters", "retirees", "young ", "couple", "bachelor", "singles", "mature", "seniors")),
    _rule("fair_housing.immigration", FAIR_HOUSING,
          r"\b(?:(?:confirm|verify|tell (?:me|us)|what(?:'s| is)|ask (?:about|for)|check|need) (?:\w+ ){0,2}(?:immigration|citizenship|visa|legal|residency) status"
          r"|(?:here|living here|in the country) legally|(?:where are you|where you're|where you are) (?:originally )?from)\b",
          "Asks about immigration status or national origin: never ask. Apply the written screening criteria to everyone.",
          negatable=True,
          requires=('status', 'legally', 'where are you', "where you're", 'where you are')),
    _rule("fair_housing.refusal", FAIR_HOUSING,
          r"\b(?:(?:rather not|would rather not|wouldn't|would not|won't|will not|prefers? not to|doesn't want to|does not want to|not (?:able|allowed|willing) to) (?:\w+ ){0,2}(?:rent to|accept|take on|take)"
          r" (?:\w+ ){0,3}(?:who's|who is|that's|who are)? ?(?:expecting|pregnant)"
          r"|(?:no|prefers? no|would prefer no|don't accept|do not accept|can't accept|cannot accept|not accepting) (?:dss|housing benefit|universal credit|benefits? (?:tenants|claimants))"
          r"|(?:prefiere|prefieren|solo|sólo) (?:inquilinos |personas |gente )?sin (?:niños|ninos|hijos|familia)|no (?:aceptamos|acepta|se aceptan|queremos) (?:niños|ninos|familias|vales|section 8))\b",
          "Refuses or discourages a protected class (pregnancy, families, source of income): never. Apply the written criteria to everyone.",
          negatable=True,
          requires=('expecting', 'pregnant', 'dss', 'benefit', 'universal credit', 'sin ', 'no aceptamos', 'no acepta', 'no se aceptan', 'no queremos')),
    _fh_rule("exclusion", rf"\b{EXCLUSION_CUE} {_HOLDER}{_TERM_ALL}{_END}", negatable=True),
    _fh_rule("exclusion", rf"\b{EXCLUSION_CUE} {cue_window(3)}{_HOLDER}{_TERM_ALL}{_END}(?! (?:are |is )?(?:welcome|encouraged|fine|ok|okay))", negatable=True),
    # "Everyone is welcome except families with kids": an exception carved out of a welcome.
    _fh_rule("exclusion", rf"\b(?:welcome|welcomed|welcoming|accept|accepts|accepted|accepting|allowed|considered|fine|ok|okay|anyone|everyone|everybody|all) (?:[^ |]+ ){{0,10}}?(?:except|but not|other than|excluding|apart from|with the exception of|save for|besides|minus)(?: for)? {cue_window(2)}{_HOLDER}{_TERM_ALL}{_END}",
             requires=("except", "but not", "other than", "excluding", "apart from", "exception", "save for", "besides", "minus")),
    _fh_rule("exclusion", rf"\b(?:without|minus|no more than \w+|max(?:imum)? (?:of )?\w+|at most \w+|limit(?:ed)? (?:of|to) \w+) {_TERM_ALL}{_END}", negatable=True),
    _fh_rule("exclusion", rf"\b{_TERM_ALL} {window(3)}{EXCLUSION_AFTER}\b", negatable=True, term_anchored=True),
    _fh_rule("exclusion", r"\b(?P<familial_status>(?:child|kid|kids|children|baby|pet and child|adults?) ?free|childless(?: couples?| adults?| people| tenants?| households?)?|adults? only|adult (?:only )?(?:community|building|complex)|adult tenants only|(?:no one|nobody|no(?: one)? residents?) (?:under|below|younger than) (?!1[89]\b|21\b)\d\d)\b", negatable=True),
    _fh_rule("exclusion", r"\b(?:not|isn't|isnt|aren't) (?:a|an) (?P<source_of_income>(?:section 8|voucher|hud|program|subsidi[sz]ed) (?:building|property|landlord|unit|apartment|friendly))\b", negatable=True),
    _fh_rule("exclusion", r"\b(?:must|need to|have to) (?:be|have) (?:(?P<source_of_income>employed|a (?:full ?time )?job|(?:earned|employment|w ?2) income)|(?P<disability>able bodied|physically fit|in good (?:physical |mental )?health|able to (?:climb|walk up|use) (?:the )?stairs|healthy|without (?:a )?disabilit(?:y|ies))|(?P<marital_status>single|married|unmarried|engaged)|(?P<familial_status>childless|child free|without (?:kids|children))|(?P<religion>christian|jewish|muslim|catholic|religious|a believer|saved)|(?P<sexual_orientation_gender_identity>straight|heterosexual))\b", negatable=True),
    _fh_rule("exclusion", r"\b(?:only|just) (?:accept|consider|take) (?P<source_of_income>(?:income from )?(?:employment|wages|a job|w ?2s?|paychecks?|earned income))\b", negatable=True),
    _fh_rule("exclusion", r"\b(?P<source_of_income>(?:employment|job|w ?2|earned|paycheck) income only|income (?:must|has to|needs to) (?:be|come) from (?:a job|employment|work|wages|salary))\b", negatable=True),
    _fh_rule("exclusion", r"\b(?P<race_color_national_origin>(?:must|need to|have to) speak (?:fluent |perfect |good )?english|english (?:speakers? )?only|english speaking (?:only|tenants|people|applicants)|(?:must|need to|needs to|has to|have to|should|required to) be (?:fluent|proficient|comfortable) (?:in|with) english|(?:fluent|perfect|good|native|proficient|strong) english (?:is |are )?(?:required|a must|mandatory|necessary|needed|expected|only|preferred)|english (?:fluency|proficiency) (?:is )?(?:required|a must|mandatory|necessary|needed|expected|preferred)|(?:requires?|required|requiring) (?:fluent |good |perfect |native |proficient )?english)\b", negatable=True),
    _fh_rule("exclusion", r"\b(?P<disability>(?:no|not|don't|dont|do not|won't|wont|will not|can't|cant|cannot|can not|never|refuse to) (?:make |provide |offer |allow |give |grant |do |accept |consider |approve )?(?:any )?(?:reasonable )?(?:accommodations|modifications|exceptions? (?:for|to the pet policy for) (?:service|support|assistance|emotional support|therapy|companion) (?:animals?|dogs?)))\b"),
    _fh_rule("exclusion", r"\b(?P<disability>(?:pet )?(?:fee|fees|deposit|rent|charge)s? (?:also |still )?(?:appl(?:y|ies)|is charged|are charged|required) (?:to|for) (?:all )?(?:service|support|assistance|emotional support|therapy|companion) (?:animals?|dogs?)|(?:service|support|assistance|emotional support|therapy|companion) (?:animals?|dogs?) (?:are |is )?(?:also |still )?(?:subject to|pay|charged|require|need|count as|counted as|treated as|considered) (?:a |the |an )?(?:[^ |,]+ ){0,2}?(?:pet|pets|(?:pet )?(?:fee|deposit|rent|charge)))\b"),
    _fh_rule("exclusion", r"\b(?:pet |extra |additional |animal |monthly )+(?:fee|fees|deposit|rent|charge)s? (?:\S+ ){0,2}(?:for|on|to) (?:all |your |any )?(?P<disability>(?:service|support|assistance|emotional support|therapy|companion) (?:animals?|dogs?|cats?)|esas?)\b", negatable=True),
    # An article before the class term does not count against the window ("ideal for a student or a young couple").
    _fh_rule("preference", rf"\b{PREFERENCE_CUE} {cue_window(3)}(?:(?:a|an|the) )?{_HOLDER}{_TERM_ALL}{_END}", negatable=True),
    _fh_rule("exclusion", rf"\b(?:{EXCLUSION_CUE}|{PREFERENCE_CUE}) {cue_window(3)}{_LANGUAGE_PROXY}\b", negatable=True,
             requires=("english", "accent")),
    _fh_rule("exclusion", rf"\b{_LANGUAGE_PROXY} {window(3)}(?:{EXCLUSION_AFTER}|{PREFERENCE_AFTER})\b", negatable=True,
             requires=("english", "accent")),
    _fh_rule("preference", rf"\b{GOOD_FOR_CUE} {cue_window(2)}{_TERM_GOOD_FOR}{_END}", negatable=True),
    _fh_rule("exclusion", rf"\b{_TERM_ALL} \| (?:then |so |sorry |well |unfortunately |honestly )?(?:this|the|it|that|our) (?:[^ |,]+ )?(?:isn't|is not|won't be|wouldn't be|'s not|is probably not|probably isn't|isn't really|is really not) (?:for you|a (?:good |great )?fit|right for you|ideal|suitable|the place for you|for them)\b", negatable=True, term_anchored=True),
    _fh_rule("description", rf"\b{_TERM_ALL}{_END}(?: [^ |]+){{0,8}}? (?:you'd|you would|you'll|you will|you) (?:really )?(?:fit (?:right )?in|feel (?:right )?at home|blend (?:right )?in|belong)\b", term_anchored=True),
    _fh_rule("preference", rf"\b{_TERM_ALL} {window(2)}{PREFERENCE_AFTER}\b(?! (?:welcome|be))", negatable=True, term_anchored=True),
    _fh_rule("requirement", rf"\b{REQUIREMENT_CUE} {_DETERMINER}{window(1)}{_class_group(('citizenship_immigration', 'sex', 'religion', 'age', 'sexual_orientation_gender_identity', 'race_color_national_origin'))}{_END}", negatable=True),
    _fh_rule("preference", r"\ball (?:(?P<sex>male|female|women|men|girls?|guys?|boys?|ladies|lady)|(?P<religion>christian|jewish|muslim|catholic)|(?P<race_color_national_origin>white|black|asian|hispanic|latino)|(?P<age>senior|young|adult|older)) (?:house|household|building|home|apartment|flat|floor|residence|community|unit|place|roommates?|tenants?)\b", negatable=True),
    _fh_rule("requirement", r"\b(?:must|should|need to|needs to|has to|have to|required to) be (?:at least |over |under |above |below |older than |younger than |no older than |no younger than |no more than |no less than )?(?P<age>(?!1[89]\b|21\b)\d\d(?: years old| years of age| or older| or younger| and (?:over|under|up|older|younger)| years)?)\b", negatable=True),
    _fh_rule("description", rf"\b{DESCRIPTION_CUE} {window(2)}{_TERM_ALL}{_END}(?! (?:are |is )?(?:welcome|encouraged))"),
    _fh_rule("description", rf"\b{_PEOPLE_SUBJECT} {_BE} {_INTENSIFIER}(?:{_class_group(DESCRIPTIVE_ADJECTIVES, DESCRIPTIVE_ADJECTIVES)})(?= [|,]| (?:and|or|people|folks|mostly|families|professionals|couples|tenants|residents|neighbou?rs|ones)\b| ?$)"),
    _fh_rule("description", rf"\b{_PEOPLE_SUBJECT} {_BE} {_INTENSIFIER}{_TERM_ALL}{_END}"),
    _fh_rule("description", rf"\b(?:(?P<race_color_national_origin>white|black|brown|hispanic|latino|asian|african|arab|mexican|chinese|indian|korean|russian|polish|irish|italian|immigrant|ethnic|minority)|(?P<religion>jewish|christian|muslim|catholic|mormon|hindu|religious|orthodox|hasidic|amish)|(?P<sexual_orientation_gender_identity>gay|lesbian|straight))(?: (?:family|families|folks|people|residents))? {_PLACE}\b(?! (?:center|centre))"),
    _fh_rule("description", r"\b(?P<race_color_national_origin>ghetto|hood|barrio|good part of town|right kind of people|the wrong (?:crowd|element|kind of people)|undesirables?|those people)\b"),
    _fh_rule("description", r"\b(?:(?:you(?:'d| would| might| may| will|'ll)?|your family would|they(?:'d| would)) (?:probably |definitely |really |likely )?(?:be|feel|fit in) (?:more comfortable|happier|better off|more at home|better)|(?:would|will|might) fit in better) (?:in|at|with|living in)? ?(?P<race_color_national_origin>elsewhere|somewhere else|another (?:neighbou?rhood|area|part of town|building|community)|a different (?:neighbou?rhood|area|part of town|building|community)|(?:your|their) own (?:kind|people|community)|people like (?:you|yourself)|others like you|(?:\S+ ){0,2}(?:neighbou?rhood|community|part of town))"),
    _fh_rule("preference", r"\b(?P<race_color_national_origin>(?:similar|same|right|compatible|our|a good) (?:cultural |ethnic |religious )?(?:background|culture|heritage|ethnicity|kind of people|sort of people|type of people)|people like us|our kind of people|(?:who|that) (?:will |would )?fit in with (?:the|our) (?:community|neighbou?rhood|other (?:tenants|residents)|culture))\b(?! check)", negatable=True),
    _fh_rule("description", rf"\b(?:(?:be|feel) (?:more comfortable|happier|more at home|better off)|fit in better) (?:[^ |]+ ){{0,10}}?{_TERM_ALL}{_END}"),
    _fh_rule("inquiry", r"\b(?:are you|r u|are u|is (?:she|he|your (?:partner|wife|husband|girlfriend|boyfriend|roommate)))(?: currently| by any chance| planning to be)? (?:(?P<familial_status>pregnant|expecting|planning (?:to have|on having) (?:kids|children|a baby|a family))|(?P<marital_status>married|single|divorced|engaged|widowed)|(?P<disability>disabled|handicapped|on disability|mentally ill|sick)|(?P<religion>religious|christian|jewish|muslim|catholic|hindu|a (?:christian|jew|muslim|believer))|(?P<sexual_orientation_gender_identity>gay|lesbian|straight|trans(?:gender)?|bi)|(?P<citizenship_immigration>an? (?:us |u s |american )?(?:citizen|immigrant)|(?:in|here) (?:the country |the us )?legally|legal|documented|undocumented)|(?P<source_of_income>on (?:section 8|welfare|ssi|ssdi|(?:government |public )?assistance|a voucher|benefits))|(?P<race_color_national_origin>white|black|hispanic|latino|asian|mexican|arab|indian|chinese|american|from (?:here|this country|around here))|(?P<age>over (?!1[89]\b|21\b)\d\d|under \d\d|old enough|too old|retired))\b"),
    _fh_rule("inquiry", r"\b(?:what|which) (?P<x>religion|race|ethnicity|nationality|faith|church|denomination|country|ethnic background) (?:are you|do you (?:practice|follow|belong to|go to|attend)|are you from|is your (?:family|partner|husband|wife))\b"),
    _fh_rule("description", r"\b(?:fit in|fit right in|be more comfortable|feel more comfortable|feel more at home|be happier|be better off)(?: [^ |]+){0,8}? (?P<race_color_national_origin>with (?:your|their|his|her) (?:own )?(?:people|kind|community|type|crowd|folks)|elsewhere|somewhere else|(?:another|a different) (?:neighbou?rhood|area|part of town|side of town|community))\b"),
    _fh_rule("inquiry", r"\b(?:do|does|will|would) (?:you|your (?:partner|spouse|wife|husband|family|roommate|girlfriend|boyfriend)|anyone)(?: or (?:your|anyone|any) (?:[^ |,]+ ){0,2}?)? ?(?:have|has|plan to have|expect) (?:any )?(?P<disability>disabilit(?:y|ies)|a disability|medical conditions?|mental health (?:issues|conditions)|special needs|a handicap)\b"),
    _fh_rule("requirement", rf"\b(?:only )?(?:apply|applicants?|inquire|reach out|contact (?:us|me)|message (?:us|me)|respond|reply)(?: only)? if you(?:'re| are)(?: a| an)? (?:(?:{_class_group(DESCRIPTIVE_ADJECTIVES, DESCRIPTIVE_ADJECTIVES).replace('(?P<', '(?P<a_')})|{_TERM_ALL})"),
    _fh_rule("inquiry", r"\b(?:do|will|would) you (?:have|plan to have|plan on having|want|expect|intend to have|have any) (?:any )?(?P<familial_status>kids|children|a baby|babies|a family|little ones)\b"),
    _fh_rule("inquiry", r"\b(?:how old are you|what(?:'s| is) your (?P<x>age|date of birth|race|religion|ethnicity|ethnic background|nationality|national origin|country of origin|sexual orientation|gender identity|disability|diagnosis|immigration status|citizenship|visa status|marital status|religious affiliation|background|heritage)|where are you (?:really |originally )?from|what country are you from|where were you born|(?:what|which) church|do you (?:go to|attend) (?:church|mosque|synagogue|temple)|what kind of (?:name|accent) is that|when are you due|(?:what|which) (?:kind of |type of )?(?:disability|condition|illness) do you have)\b"),
    # "If you have kids, this place won't work for you" / "It isn't a good fit if you're expecting":
    # a condition on a protected class that ends in turning the person away.
    _fh_rule("exclusion", rf"\bif {_CONDITION_SUBJECT}(?: [^ |,]+){{0,3}}? {_TERM_ALL}{_END} (?:[|,] )?(?:then |so |sorry |honestly |unfortunately )?(?:this|the|it|that|our|we|i|they|he|she)(?: [^ |,]+){{0,3}}? {_NOT_A_FIT}\b",
             requires=("if ",)),
    _fh_rule("exclusion", rf"\b{_NOT_A_FIT}(?: (?:for you|for them|for your family|here|out))? (?:, )?if {_CONDITION_SUBJECT}(?: [^ |,]+){{0,3}}? {_TERM_ALL}{_END}",
             requires=("if ",)),
    # "Vouchers: not accepted", "Kids: no": a label line answered with a refusal.
    # Tried only at sentence starts, and only when some sentence opens with a refusal.
    _fh_rule("exclusion", rf"(?:^|(?<=\| )){_TERM_ALL}{_END} \| {_LABEL_REFUSAL.pattern.removeprefix(_SENTENCE_MARK)}",
             precheck=_LABEL_REFUSAL),
    # Coded words for "people we do not want" ("no urban types", "the inner-city crowd").
    _fh_rule("description", r"\b(?P<race_color_national_origin>(?:urban|inner city|ghetto|hood|thug|thuggish|project|projects|sketchy|shady|trashy|undesirable) (?:types?|crowds?|elements?|folks|youths?|kind|sort|people)|riff ?raff|wrong (?:sorts?|types?|kinds?) of (?:people|folks|tenants|neighbou?rs|residents|crowd))\b",
             term_anchored=True),
    # "None of the Section 8 crowd", "none of those immigrants".
    _fh_rule("description", rf"\bnone of (?:the |those |these |that |them |your |our )?{_TERM_ALL}{_END}(?: (?:crowd|types?|people|folks|kind|sort|element|tenants|renters|neighbou?rs))?(?= [|,]| ?$| (?:around|here|nearby|anymore|allowed|please|in (?:the|this|our) (?:building|area|neighbou?rhood|block|complex))(?= [|,]| ?$))",
             term_anchored=True),
]

PAYMENT_CHANNEL = alt(
    "western union", r"money ?gram", "green dot", "reloadit", r"crypto(?:currency|currencies)?", r"bitcoins?", "btc", "ethereum",
    "usdt", "tether", "litecoin", "dogecoin", r"crypto wallet", "zelle", "zele", "venmo", "vemno", r"cash ?app", r"paypal(?: friends and family)?",
    "friends and family", "ria money", "remitly", "worldremit", r"wise transfer", r"apple pay cash",
)
_GIFT_CARD = r"(?:(?:itunes|steam|amazon|google play|apple|vanilla|ebay|target|walmart|best buy|visa|prepaid) (?:gift )?cards?|gift ?cards?|prepaid (?:debit )?cards?)"
_PAY_WORD = r"(?:pay|paying|paid|payment|payments|send|sending|buy|purchase|deposit|fee|fees|rent|hold|reserve|secure|codes?|money|funds|cash|transfer|wire|\$[0-9][0-9 ]*)"
# A word that names money changing hands ("send" alone does not: "we'll send a reminder before the tour").
_PAY_VERB = alt("pay", "paying", "paid", "transfer", "transferring", "wire", "wiring", "deposit", "depositing",
                "put down", "payment", "payments", "money", "funds", "cash", "fee", "fees", "rent", "holding fee",
                "cashier's check", "money order", "check", "cheque",
                r"\$[0-9][0-9,]*")
_VIEWING = alt("viewing", "showing", "tour", "visit", "walkthrough", "walk through", r"seeing (?:it|the (?:place|unit|room|apartment|property))",
               r"you see (?:it|the (?:place|unit|room|apartment))", "we meet", r"i (?:can )?show (?:you|it)", "you view", "viewing it",
               r"(?:get|send|give) (?:you )?the keys", "move in")

PAYMENT_RULES = [
    _rule("payment.untraceable_channel", PAYMENT, rf"\b{PAYMENT_CHANNEL}\b",
          "Asks for payment through an untraceable channel (wire service, gift cards, crypto, P2P apps): scam "
          "pattern. Payments go only through the official application and lease process.", negatable=True),
    _rule("payment.untraceable_channel", PAYMENT,
          rf"\b(?:{_PAY_WORD}\b[^|]{{0,60}}?{_GIFT_CARD}|{_GIFT_CARD}\b[^|]{{0,60}}?\b{_PAY_WORD})\b",
          "Asks for payment in gift or prepaid cards: scam pattern. Payments go only through the official process.",
          negatable=True),
    _rule("payment.before_viewing", PAYMENT,
          r"\b(?:pay|send|deposit|payment|money|fee|funds|holding fee)\b(?: [^ |]+){0,4}? (?:first|upfront|up front|in advance|beforehand) (?:, )?(?:then|and then|and|before|so)\b(?: [^ |]+){0,5}? (?:keys?|lockbox|code|access|address|showing|viewing|tour|lease)\b",
          "Asks for money before access or a viewing: scam pattern. Never take payment before the lead has seen the unit.",
          negatable=True),
    _rule("payment.wire_transfer", PAYMENT,
          r"\b(?:(?:by|via|through|with|using) (?:a )?(?:bank )?wire(?: transfer)?|wire (?:transfer|the|it|me|us|money|funds|payment|deposit|rent|fee|over|\$?\d)|bank transfer (?:to|into)|(?:send|deposit|transfer|pay|put) (?:it |the money |cash |the deposit |the funds )?(?:directly )?(?:to|into) my (?:personal |own )?(?:bank )?account|(?:mail|send|drop off|bring)(?: me)? (?:a |the |your )?(?:cashier's check|check|cheque|money order|cash|payment|deposit) (?:to|at) my (?:home|house|personal address|place)|western union)\b",
          "Asks for a wire or direct bank transfer: scam pattern. Payments go only through the official process.",
          negatable=True),
    _rule("payment.before_viewing", PAYMENT,
          rf"\b{_PAY_VERB}\b(?: [^ |]+){{0,6}}? (?:(?:before|prior to|ahead of|in order to (?:see|view|tour)|to (?:see|view|tour|unlock|get the keys)) (?:(?:scheduling|booking|arranging|setting up|confirming|we schedule|we book|i schedule|i book|we can schedule|i can schedule) )?(?:the |a |your |any |our |we |you )?{_VIEWING}|(?:before|until|so) (?:you|we|i) (?:can |could |get to |are able to |will |may )?(?:see|view|tour|visit|show|look at|check out))\b",
          "Asks for money before a viewing: scam pattern. Never take payment before the lead has seen the unit "
          "and signed through the official process.", negatable=True),
    _rule("payment.before_viewing", PAYMENT,
          rf"\b(?:no {_VIEWING}s? (?:without|until|before) (?:a |the |your )?(?:deposit|payment|you pay)|{_VIEWING}s? (?:are |is )?(?:only )?(?:after|upon|once) (?:\S+ ){{0,2}}(?:payment|deposit|you pay|paying)|sight unseen)\b",
          "Asks for money before a viewing: scam pattern. Never take payment before the lead has seen the unit.",
          negatable=True),
    _rule("payment.absent_landlord", PAYMENT,
          r"\b(?:i am|i'm|im|we are|we're|currently|the owner is|the landlord is|owner is|landlord is|i live|i'm living|i now live|i moved|i relocated|i'm working|i work|i'm based|i'm stationed|i'm traveling|i'm travelling)(?: currently| now| presently| temporarily)? (?:abroad|overseas|out of the country|outside the country|outside the us|in (?:another|a different) country|on (?:a )?(?:mission|missionary trip|deployment|military duty)|deployed)\b",
          "Landlord-abroad story: classic rental-scam pattern. Viewings and keys go through the local team.",
          negatable=True),
    _rule("payment.keys_by_mail", PAYMENT,
          r"\b(?:(?:ship|mail|courier|post|fedex|ups|dhl|send|deliver|drop off)(?:ping|ing|ed)? (?:you |over |out )?(?:the |your )?keys?(?: (?:to you|by (?:mail|post|courier)|via (?:mail|courier|fedex|ups|dhl)))?|keys? (?:will be |can be |are |get )?(?:shipped|mailed|couriered|posted|sent by (?:mail|post|courier))|(?:pay|send)(?: \S+){0,4} (?:and|then|,) (?:i'll|i will|we'll|we will) (?:send|mail|ship|courier|give) (?:you )?(?:the )?(?:keys|lease|contract|code))\b",
          "Offers to mail the keys or the lease after payment: scam pattern. Keys are handed over in person by the team.",
          negatable=True),
    _rule("payment.off_the_books", PAYMENT,
          r"\b(?:(?:leave|drop|put|slip|slide) (?:the |a |your )?(?:\$?\d[\d,]*|cash|money|payment|deposit)(?: \w+){0,3} (?:in an envelope|under the (?:mat|door)|in the mailbox|with the doorman)"
          r"|(?:pay|paying) (?:in )?cash (?:at|during|before|on) (?:the )?(?:viewing|showing|tour|visit)"
          r"|pay (?:me|us|him|her) (?:directly|in cash|cash|personally)|(?:\$?\d+ )?cash instead of|cheaper if you pay (?:me|us|cash))\b",
          "Asks for cash or direct payment outside the official process: scam pattern. Payments go only through the official process.",
          negatable=True,
          requires=('envelope', 'under the', 'mailbox', 'doorman', 'directly', 'cash', 'personally')),
    _rule("payment.before_viewing", PAYMENT,
          r"\b(?:to (?:secure|hold|reserve) (?:the |your |a )?(?:viewing|showing|tour|visit|appointment)(?: \S+){0,3}? (?:transfer|send|pay|wire)"
          r"|(?:transfer|send|pay)(?: \S+){0,5}? (?:deposit|fee)(?: \S+){0,8}? (?:beforehand|in advance|before (?:the |your )?(?:viewing|showing|tour|visit)))\b",
          "Asks for money before a viewing: scam pattern. Never take payment before the lead has seen the unit.",
          negatable=True,
          requires=('secure', 'hold the', 'hold your', 'reserve', 'beforehand', 'in advance', 'before the', 'before your')),
    _rule("payment.send_money", PAYMENT,
          r"\b(?:send|wire|transfer)(?: me| us)? (?:the |some |your )?(?:money|cash|funds)\b",
          "Asks the lead to send money directly: scam pattern. Payments go only through the official process.",
          negatable=True),
]

_CANNOT = alt("can never", "could never", "will never", "won't ever", "can't ever", "cannot ever", "can't", "cannot", "can not",
              "won't", "will not", "are not allowed to", "aren't allowed to", "is not allowed to", "isn't allowed to",
              "have no right to", "has no right to", "legally can't", "legally cannot")
_UNCONDITIONAL = r"(?! (?:without|unless|except|until|for|just because|simply because|because|in retaliation|over|if)\b)"
_CERTAINTY = re.compile(r"\b(?:legally|law|laws|never|ever|guarantee|guaranteed|promise|assure|swear|100 ?%|no way|impossible)\b")


def _sounds_certain(match, text):
    """A legal claim is a promise when said as a certainty ("legally ...", "never", "I guarantee it")."""
    left = text.rfind(" | ", 0, match.start())
    right = text.find(" | ", match.end())
    return bool(_CERTAINTY.search(text[left + 1 if left >= 0 else 0:right if right >= 0 else len(text)]))


_SCREENING = r"(?:credit |background |income |employment |rental |tenant |eviction |criminal |id |screening )*(?:checks?|screening|screenings|verification|references?|application(?! fee)|approval process|paperwork|vetting|requirements?|minimums?|criteria)"
PROMISE_RULES = [
    _rule("promise.guaranteed_approval", PROMISE,
          r"\b(?:(?<!if )(?<!once )(?<!when )(?<!after )(?<!until )(?<!unless )(?<!before )(?:you(?:'re| are)|u r|ur|youre) (?:already |pre-?|officially )?approved|(?:don't|dont|do not) worry (?:about|abt) (?:the |your |ur )?(?:credit|screening|background|references|income)|consider it approved|a shoo-in"
          r"|(?:i'll|ill|i will|we'll|we will) waive|just between us|does what i tell (?:him|her|them)|aprova\w* garantida|nem precisa (?:mandar|enviar)|(?:i'll|i will|we'll|we will) (?:make sure you (?:pass|get (?:it|approved|in))"
          r"|get you (?:approved|in|the (?:place|flat|unit|room|apartment)))|(?:the (?:place|flat|unit|room|apartment) is )?as good as yours"
          r"|(?:the )?application is (?:just |only |merely )?a formality|no need (?:to wait )?for (?:the )?(?:screening|credit check|background check"
          r"|referencing|references?)|ya (?:est[aá] )?aprobad[oa]|est[aá] aprobad[oa]|no hace falta (?:revisar|verificar|checar) (?:su |tu )?cr[eé]dito)\b",
          "Promises approval: the team cannot guarantee approval in a chat. Say that applications are reviewed "
          "against the written criteria.", negatable=True,
          requires=('approved', 'as good as yours', 'formality', 'no need', 'aprobad', 'hace falta', 'worry', 'shoo-in', 'waive', 'between us', 'what i tell', 'garantida', 'nem precisa')),
    _rule("promise.unconditional", PROMISE,
          r"\b(?:(?:move-?in|move in|approval|the (?:move-?in )?date)(?: date)? is guaranteed|(?:le|te|se lo) garantizo|garantizad[oa]"
          r"|(?:you'll|you will) (?:sail|breeze) through|i'll see to it|(?:i'll|i will|we'll) make sure the (?:landlord|owner) (?:lets|allows|agrees|accepts|approves)"
          r"|never raises? (?:the )?rent|rent (?:will )?never (?:go|goes) up|(?:you'll|you will) be approved(?: ,)? no question|no question about it"
          r"|hold it (?:for you )?(?:as long as you (?:need|want|like)|indefinitely)|rest assured(?: ,)? (?:the )?(?:flat|place|unit|room|apartment)(?:'s| is) yours"
          r"|(?:i'll|i will) tell the other (?:viewers|applicants|people) (?:it's|its|that it's) (?:gone|taken)"
          r"|no matter what(?: happens)?"
          r"|you have my word|(?:we'll|we will|i'll|i will) (?:definitely|absolutely|100%) (?:install|replace|fix|add|paint|renovate|upgrade|get|have))\b",
          "Makes a promise the team cannot keep in a chat: say what is planned and that the lease states the terms.",
          negatable=True,
          requires=('no matter what', 'my word', 'definitely', 'absolutely', '100%', 'guaranteed', 'garantiz', 'sail through', 'breeze through', 'see to it', 'make sure the', 'never raise', 'never go', 'no question', 'as long as you', 'indefinitely', 'rest assured', 'tell the other')),
    _rule("promise.guaranteed_approval", PROMISE,
          r"\b(?:guarantee(?:d|s)?|promise(?:d)?|assure(?:d)?|100 ?%|100 percent|definitely|certainly|automatically|instant(?:ly)?|pre ?approved|surely|for sure) (?:\S+ ){0,6}?(?:approv(?:al|ed|e)|accept(?:ed|ance)|qualify|qualified|get (?:it|the (?:room|unit|apartment|place|lease))|the (?:room|unit|apartment|place|spot|lease) (?:is|will be) yours)\b",
          "Promises approval: the team cannot guarantee approval in a chat. Say that applications are reviewed "
          "against the written criteria.", negatable=True, negation_inside_clears=True, hedgeable=True),
    _rule("promise.guaranteed_approval", PROMISE,
          r"\b(?:approv(?:al|ed|es|e)|accept(?:ed|ance|s)|qualif(?:y|ied|ication)|the (?:room|unit|apartment|place) is yours|you(?:'ll| will)? get (?:it|the (?:room|unit|apartment|place)))\b (?:\S+ ){0,3}?(?:guaranteed|100 ?%|100 percent|for sure|a sure thing|a given|a done deal|a formality|assured|promised|no matter what|regardless)\b",
          "Promises approval: the team cannot guarantee approval in a chat. Say that applications are reviewed "
          "against the written criteria.", negatable=True, negation_inside_clears=True, hedgeable=True),
    _rule("promise.guaranteed_approval", PROMISE,
          r"\b(?:guarantee(?:d)?|promise) (?:you )?(?:the|this) (?:room|unit|apartment|place|spot|price|rate)\b|\b(?:everyone|everybody|anyone) (?:is |gets |will be )?(?:approved|accepted)\b",
          "Promises the unit or approval: the team cannot commit to that in a chat.",
          negatable=True, negation_inside_clears=True, hedgeable=True),
    _rule("promise.skipped_screening", PROMISE,
          rf"\b(?:no|without(?: a| any)?|skip(?:ping)?(?: the)?|waive(?:d)?(?: the)?|bypass(?:ing)?(?: the)?|won't (?:need|run|do|require)(?: a| any)?|(?:don't|dont|do not) (?:need|have) to (?:do|pass|go through)(?: a| any| the)?|no need for(?: a| any)?|(?:don't|dont|do not|won't|wont|will not) (?:check|run|verify|screen)(?: your)?) {_SCREENING}(?: (?:needed|required|necessary))?\b",
          "Promises to skip screening: every applicant goes through the same screening. Do not offer exceptions in a chat.",
          negatable=True),
    _rule("promise.guaranteed_approval", PROMISE,
          r"\bconsider yourself (?:officially )?(?:approved|accepted|in)\b|\b(?:you're|you are|youre|you'll be|you will be|consider yourself) (?:basically |practically |pretty much |as good as |already |definitely |totally |100 ?% |surely |certainly |automatically )+(?:approved|accepted|pre ?approved|in)\b",
          "Promises approval: the team cannot guarantee approval in a chat. Say that applications are reviewed "
          "against the written criteria.", negatable=True, hedgeable=True),
    _rule("promise.guaranteed_approval", PROMISE,
          r"\b(?:you're|you are|youre|you've been|you have been|you'll be|you will be|consider yourself|you're already|you are already) (?:already |basically |practically |officially |now )?pre ?(?:approved|qualified|screened)\b",
          "Promises approval: the team cannot pre-approve anyone in a chat. Say that applications are reviewed "
          "against the written criteria.", negatable=True, hedgeable=True,
          requires=("pre approved", "preapproved", "pre qualified", "prequalified", "pre screened", "prescreened")),
    _rule("promise.skipped_screening", PROMISE,
          r"\b(?:no need to|(?:you )?(?:don't|dont|do not|won't|wont|will not) (?:even )?(?:need|have) to|don't bother to|no reason to) (?:even )?(?:apply|fill out (?:an|the) application|submit (?:an|the) application|go through (?:the )?(?:application|screening))(?= [|,]| ?$| (?:just|we|i|you're|you are|the (?:room|unit|place) is))",
          "Promises to bypass the application: every applicant goes through the same process.",
          negatable=True, hedgeable=True, requires=("apply", "application")),
    _rule("promise.guaranteed_approval", PROMISE,
          r"\b(?:make sure|ensure|see to it|guarantee|promise)(?: that)? (?:the )?(?:owner|landlord|management|manager|they|he|she|we|the board) (?:will )?(?:approves?|accepts?|says yes to|picks?|chooses?|signs? off on) (?:you|your)\b",
          "Promises approval: the team cannot guarantee approval in a chat. Say that applications are reviewed "
          "against the written criteria.", negatable=True, hedgeable=True),
    _rule("promise.guaranteed_approval", PROMISE,
          r"\b(?:make sure|ensure|see to it|guarantee|promise)(?: that)? (?:your|you|the|you're|you are) (?:application |app )?(?:is |gets |get |will be |'ll be |are )?(?:approved|accepted)\b",
          "Promises approval: the team cannot guarantee approval in a chat. Say that applications are reviewed "
          "against the written criteria.", negatable=True, hedgeable=True),
    _rule("promise.skipped_screening", PROMISE,
          r"\b(?:(?:don't|dont|do not|no need to|never) worry about (?:the |your |a |any )?(?:credit|background|income|eviction|criminal|rental)(?: (?:check|checks|history|score|report|screening))?|(?:we'll|we will|i'll|i will|we can|i can|we'd|i'd) (?:just |happily )?(?:skip|waive|bypass|ignore|overlook|forget about) (?:it|that|them|this))\b",
          "Promises to overlook screening: every applicant goes through the same screening.", hedgeable=True),
    _rule("promise.guaranteed_approval", PROMISE,
          r"\b(?:deposit|deposits|fee|fees|approval|approved|rent|month|months|credit check|background check|screening|guarantor|cosigner|lease|the (?:room|unit|apartment|place)|evict|evicted|eviction|refund|refunded|renew|renewal|repairs?)\b[^|]{0,80}? , (?:100 ?% )?(?:guaranteed|i promise|promise|i swear|swear|you have my word|i guarantee(?: it| you| that)?|guarantee it|you have my guarantee)(?= [|,]| ?$)",
          "Promises terms or approval outright: the team cannot commit to that in a chat."),
    _rule("promise.skipped_screening", PROMISE,
          r"\b(?:no need to|you don't (?:need|have) to|you do not (?:need|have) to|don't bother to|don't bother) (?:submit|send|provide|fill out|apply|do|bring|show) (?:us )?(?:anything|any (?:documents|paperwork|proof)|an application|the application|documents|paperwork|proof of income|pay stubs|references)\b|\b(?:i'll|i will|we'll|we will|i can|we can|happy to) make (?:an|one) exception\b",
          "Promises to bypass the application or screening: every applicant goes through the same process.",
          negatable=True, hedgeable=True),
    _rule("promise.waived_fees", PROMISE,
          r"\bno (?:security |holding )?deposit (?:needed |required |necessary |due )?for you\b|\b(?:deposit|fee|fees|rent)\b[^|]{0,40}?(?:i'll|i will|we'll|we will) (?:take care of|cover|handle|pay|eat) (?:it|that|them)\b",
          "Promises to waive or cover a deposit, fee or rent: only the official offer can change terms.",
          negatable=True, hedgeable=True),
    _rule("promise.waived_fees", PROMISE,
          r"\byou (?:won't|will not|don't|do not|wouldn't) (?:even )?(?:need|have) to (?:pay|put down|bring|give) (?:a |any |the )?(?:security |holding )?deposit\b|\byou (?:won't|will not|don't|do not) (?:have to |need to )?pay (?:any )?rent (?:for|in|during) (?:the )?(?:first|1st|next|two|three|\d+)\b",
          "Promises to waive a deposit or rent: only the official offer can change terms.",
          negatable=True, hedgeable=True, requires=("deposit", "rent")),
    _rule("promise.skipped_screening", PROMISE,
          r"\b(?:bad credit|any credit|no credit|evictions?|criminal records?|felon(?:y|ies)|no income|no job) (?:is |are |history is )?(?:ok|okay|fine|no problem|not a problem|accepted|welcome|doesn't matter)\b|\bno questions asked\b",
          "Promises to overlook screening results: every applicant goes through the same screening.", negatable=True),
    _rule("promise.waived_fees", PROMISE,
          r"\b(?:waive|waiving|waived|skip|drop|forgive|forget about|comp|(?:i|we)(?:'ll| will| can| could) (?:cover|pay for|take care of|knock off|eat|split|reduce|lower|cut|halve))(?: (?:the|your|all|any|that|half the|half of the|half your))? (?:security |broker(?:'s)? |application |holding |move in |pet )?(?:deposit|fees?|first month(?:'s rent)?|last month(?:'s rent)?|rent|costs?)\b",
          "Promises to waive or cut a deposit, fee or rent: only the official offer can change terms.",
          negatable=True, hedgeable=True),
    _rule("promise.waived_fees", PROMISE,
          r"\b(?:deposit|application fee|fees?|broker fee|rent) (?:is |are |will be |can be |gets? |'ll be )?(?:waived|covered|on (?:me|us|the house)|forgiven|free)\b",
          "Promises to waive a deposit, fee or rent: only the official offer can change terms.",
          negatable=True, negation_inside_clears=True, hedgeable=True),
    _rule("promise.free_rent", PROMISE,
          r"\b(?:(?:[0-9]+|one|two|three|four|five|six|a|1st|2nd|3rd|first|second|third|last|next|the first|the second|the last|the next|half a|half) (?:full )?(?:months?|weeks?)(?:'s)?(?: of)? (?:rent )?(?:is |are |will be |would be |'s |goes |comes )?(?:free|for free|rent free|on (?:me|us|the house)|at no (?:cost|charge)|off)|free (?:rent|month|months|first month|last month|week|weeks)|rent ?free|no rent (?:for|until|the first))\b(?! (?:promotion|promo|special|offer|deal|concession)s? (?:ended|expired|is over|has ended|was|is no longer|are no longer|ran out))",
          "Promises free rent: concessions are set by the official offer, not in a chat.", negatable=True),
    _rule("promise.unit_hold", PROMISE,
          r"\b(?:promise|guarantee|swear|assure you)(?: you)?(?: that)? (?:nobody|no one|no other (?:applicant|person|tenant)s?|nobody else|no one else)(?: else)? (?:will|can|is going to|gets to) (?:get|take|rent|have|see|grab)\b|\b(?:i'll|i will|we'll|we will) (?:hold|save|reserve|keep) (?:it|the (?:room|unit|apartment|place)) for you (?:no matter what|forever|indefinitely|without (?:a |any )?(?:deposit|application|payment))\b",
          "Promises to hold the unit: the team cannot reserve a unit in a chat. Explain how applications are processed.",
          negatable=True, hedgeable=True),
    _rule("promise.price_lock", PROMISE,
          r"\b(?:rent|price|rate)s? (?:is |are |will be |stays? |'s )?(?:locked|frozen|fixed|guaranteed|set)(?: in)?(?: at [^|,]{1,30}?)? (?:forever|for life|permanently|indefinitely|no matter what|for as long as you (?:want|like|stay))\b|\b(?:rent|price|rate)s? (?:will|is going to|is gonna) never (?:go up|increase|rise|change)\b|\b(?:rent|price|rate)s? (?:won't|will not) ever (?:go up|increase|rise|change)\b",
          "Promises future rent or price terms: only the lease and the official offer set them.", negatable=True, hedgeable=True),
    _rule("promise.price_lock", PROMISE,
          r"\b(?:promise|guarantee|swear)(?: you| that)*(?: the| your)? (?:rent|price|rate)s? (?:will|won't|wont|is going to|isn't going to|stays?|never|can't|cannot)\b",
          "Promises future rent or price terms: only the lease and the official offer set them.", negatable=True, hedgeable=True),
    # Legal outcomes promised outright: "legally they can never evict you", "you'll never be evicted".
    # A rule of law with its condition ("can't evict you without a court order") is information, not a promise.
    _rule("promise.legal_outcome", PROMISE,
          rf"\b(?:they|the (?:landlord|owner|management|manager|building|board)|he|she|we|nobody|no one)(?: (?:legally|ever))? (?:{_CANNOT})(?: (?:legally|ever|possibly))? (?:evict you|(?:kick|throw|force) you out|remove you from (?:the|your) (?:unit|apartment|home|place|room))\b{_UNCONDITIONAL}",
          "Promises a legal outcome: the team cannot give legal assurances in a chat. Point to the lease and local tenant resources.",
          validate=lambda match, text: _sounds_certain(match, text), hedgeable=True, term_anchored=True,
          requires=("evict", "kick", "throw", "remove", "force")),
    _rule("promise.legal_outcome", PROMISE,
          rf"\byou(?:'ll| will| can| could)? (?:never|not ever)(?: ever)? (?:be|get) (?:evicted|kicked out|thrown out)\b{_UNCONDITIONAL}|\byou (?:can't|cannot|can not|won't|will not) (?:ever )?(?:be|get) (?:legally )?(?:evicted|kicked out|thrown out)\b{_UNCONDITIONAL}",
          "Promises a legal outcome: the team cannot give legal assurances in a chat. Point to the lease and local tenant resources.",
          negatable=True, hedgeable=True, term_anchored=True, requires=("evicted", "kicked out", "thrown out")),
    # "I guarantee your deposit will be fully refunded": the move-out inspection decides that.
    _rule("promise.deposit_refund", PROMISE,
          r"\b(?:guarantee|promise|assure you|swear)(?: you| that)*(?: the| your)? (?:security |full )?deposit\b(?: [^ |,]+){0,6}? (?:back|refunded|returned|refund|in full)\b|\b(?:security )?deposit (?:will be |is |gets |comes |'ll be )(?:\S+ ){0,2}?(?:refunded|returned|back)(?: [^|,]+){0,3}? (?:no matter what|guaranteed|100 ?%|regardless)\b",
          "Promises the deposit back: only the lease and the move-out inspection decide that.",
          negatable=True, hedgeable=True, requires=("deposit",), term_anchored=True),
    _rule("promise.discount", PROMISE,
          r"\b(?:[0-9]+ ?%|[0-9]+ percent|half|\$[0-9][0-9,]*|[0-9]+ dollars|[0-9]+ bucks) off\b",
          "Promises a discount: prices and terms change only through the official offer.", negatable=True, hedgeable=True),
    _rule("promise.discount", PROMISE,
          r"\b(?:i|we)(?:'ll| will| can| could| would)? (?:definitely |happily |easily |gladly )?(?:knock|take|shave|cut|drop|lower|reduce|bring down|discount|match) (?:\S+ ){0,3}?(?:off|rent|price|deposit|the rate)\b",
          "Promises a discount: prices and terms change only through the official offer.", negatable=True, hedgeable=True),
]

_INSULT_WORD = alt("dumb", "stupid", r"muppets?", "numpty", r"pillocks?", r"plonkers?", r"prats?", "thick", r"idiot(?:ic|s)?", r"moron(?:ic|s)?", r"imbeciles?", r"retard(?:ed)?", "clueless", "pathetic",
                   "useless", "brainless", "dense", "illiterate", "blind", "deaf", "slow", r"losers?", r"clowns?", "a joke",
                   r"fools?", r"jerks?", "scum", "trash", "garbage", r"cheap(?:skate)?s?", "lazy", "annoying", "ignorant",
                   "crazy", "nuts", "insane", "delusional", "a waste of time", "worthless", "incompetent", "an embarrassment",
                   "hopeless", "ridiculous", "a pain", "out of your mind", "high", "drunk", r"creeps?", r"freaks?",
                   r"weirdos?", r"psychos?", "pig", r"scumbags?", r"lowlifes?", r"losers?", r"parasites?", r"leeches?")


_VOCATIVE_INSULT_WORDS = frozenset("""
idiot idiots moron morons loser losers imbecile imbeciles clown clowns fool fools jerk jerks dummy dummies dimwit
dimwits creep creeps weirdo weirdos psycho psychos freak freaks lowlife lowlifes scumbag scumbags dumbass
""".split())
_VOCATIVE_INSULT = alt(*sorted(_VOCATIVE_INSULT_WORDS))


def _with_first_words(rule, words):
    """The rule with its first words given outright (the lookahead after them hides them from triggers.py)."""
    return replace(rule, trigger_words=frozenset(words), trigger_prefixes=())


def _addresses_the_reader(match, text):
    """The insult stands alone after a pause or at the start ("..., loser"); "you loser" is the insult rule's."""
    return match.start() == 0 or text[match.start() - 2:match.start()] in (", ", "| ")


ABUSE_RULES = [
    _rule("abuse.profanity", ABUSE,
          r"\b(?:f+u+c+k+\w*|f[*]+(?:c?k)?\w*|f[u*]+c?k(?:ing|er|ers|ed|in|off)?|fck\w*|fuk\w*|fk|phuck\w*|motherf\w+|sh[i*]t(?:ty|s|head|heads)?|bullsh[i*]t|b[i*]tch(?:es|y|ing)?|bastards?|ass ?holes?|arse ?holes?|a[s*][s*]|dumbass|jackass|smartass|dickheads?|cunts?|twats?|wankers?|pricks?|douche(?:bag)?s?|piss(?:ed)? off|wtf|stfu|gtfo|goddamn(?:it)?|god damn(?: it)?|damn(?:it| it)?|crap(?:py)?|screw you|hell no|what the hell|the hell|bloody hell)(?![^ ])",
          "Profanity: replies stay courteous and professional. Rewrite without it."),
    _rule("abuse.insult", ABUSE,
          rf"\b(?:are you|r u|are u|you(?:'re| are)|ur|u r|youre|what an?|such an?|you|you're an?|you are an?|how|(?:stop|quit) being|(?:don't|dont|do not) be) (?:(?:so|such|really|completely|totally|an?|fucking|just|being|kind of|pretty|that|this|too|even|literally|clearly|obviously|simply|way|honestly|seriously|incredibly|extremely|truly|still|always) )*{_INSULT_WORD}\b",
          "Insults the lead: replies stay courteous and professional. Rewrite without it.", negatable=True),
    _rule("abuse.insult", ABUSE,
          r"\b(?:idiots?|morons?|imbeciles?|dumbass(?:es)?|retards?|numbskulls?|dimwits?|halfwits?|nitwits?|bozos?|(?:dumb|stupid|idiotic|moronic|ridiculous|pointless|braindead|brain dead|laughable|insulting) (?:questions?|people|persons?|requests?|ideas?|messages?|texts?|offers?|comments?|excuses?|things? to (?:ask|say))|dumb ?dumb|(?:dumbest|stupidest|silliest|lamest|most (?:stupid|idiotic|ridiculous|pointless|moronic)) (?:questions?|things?|requests?|messages?|ideas?|thing anyone|question anyone)|(?:idiot|moron|stupid|dumb) (?:question|request|message|thing to (?:ask|say)))\b",
          "Insults the lead: replies stay courteous and professional. Rewrite without it.", negatable=True),
    # An insult noun used to address the lead: "Bye, loser." / "Read the ad, moron."
    _with_first_words(_rule("abuse.insult", ABUSE,
          rf"\b(?:{_VOCATIVE_INSULT})(?= [|,]| ?$)",
          "Insults the lead: replies stay courteous and professional. Rewrite without it.",
          validate=lambda match, text: _addresses_the_reader(match, text), term_anchored=True),
          _VOCATIVE_INSULT_WORDS),
    _rule("abuse.contempt", ABUSE,
          r"\b(?:shut up|shut it|shut your (?:mouth|trap)|(?<!you )(?<!we )(?<!i )(?<!they )(?<!not )(?<!don't )(?<!never )(?:get lost|go away)|piss off|buzz off|bugger off|go to hell|drop dead|screw off|back off|leave me alone|get a (?:life|clue|brain)|grow up|learn (?:how )?to read|(?:can't|cant|can not|cannot) you read|do you not read|did you (?:even|not) read|read the (?:damn |fucking |freaking |bloody )?(?:listing|ad|post|description|message)|use your (?:brain|head|eyes)|waste of (?:my )?time|wasting my time|waste my time|stop wasting|(?:quit|stop) (?:your )?(?:whining|complaining|crying|moaning|bitching|nagging|begging)|stop bothering me|quit bothering|stop bugging me|people like you|your kind|you people|beggars can't be choosers|take it or leave it|not my problem|figure it out yourself|deal with it|get over it|who cares|duh|are you kidding me|what is wrong with you|what's wrong with you|are you serious right now|do i look like|obviously you|lol no|nobody asked)\b",
          "Contemptuous or dismissive wording: replies stay courteous and professional. Rewrite it.", negatable=False),
    _rule("abuse.threat", ABUSE,
          r"\b(?:(?:i'll|i will|i'm going to|im going to|i'm gonna|im gonna|gonna|we'll|we will|we're going to|i'd|i could|i can) (?:\S+ ){0,5}?(?:kill|hurt|beat|punch|smack|slap|destroy|ruin|end|come after|hunt (?:you )?down|track (?:you )?down|sue|expose|dox|make you pay|make your life|blacklist|get even with) (?:you|your|u)\b|make (?:your|ur) life (?:hell|miserable|difficult|a living hell|hard)|make you pay(?= [|,]| ?$| for (?:this|that|it))|(?:i'll|i will|we'll|we will|i'm gonna|im gonna|gonna|i'm going to) find you(?! (?:a|an|another|some|something|the|other|more|one|two|three|times?|slots?|openings?|options?|available|\d))|you(?:'ll| will) (?:regret|pay for) (?:this|it)|you(?:'re| are) going to regret|you'll be sorry|watch (?:your|ur) back|watch yourself|or else|(?:i|we) know where you live|(?:report|turn) you (?:in )?to (?:the )?(?:police|cops|immigration|ice|ins|authorities)|call (?:the )?(?:immigration|ice|ins) on you|call the (?:cops|police) on you)",
          "Threatening wording: never threaten a lead. Remove it; escalate to a manager if there is a real problem."),
    # Sarcasm and condescension: "which you clearly can't read", "bless your heart", "try a shelter".
    _rule("abuse.contempt", ABUSE,
          r"\b(?:(?:clearly|obviously|apparently|evidently) (?:can't|cannot|don't|didn't|do not|did not) (?:read|listen|understand)"
          r"|are you (?:even|actually) (?:reading|listening|paying attention)|(?:i've|i have) (?:told|said|explained|answered) (?:you |this |that )?"
          r"(?:\w+ )?(?:three|four|five|several|multiple|many|a dozen|\d+) times|per my last (?:\w+ )?(?:messages?|emails?|texts?)"
          r"|(?:is|are) (?:hard|difficult|too much) for (?:some people|you|some of you)"
          r"|(?<!no )(?<!any )(?<!every )(?:questions?|messages?) (?:were|was|are|is) (?:pretty |really |so |kind of |a bit )?(?:dumb|stupid|idiotic|silly|pointless)"
          r"|(?:try|go to|check into|look at) a (?:shelter|homeless shelter|soup kitchen)|i know where you (?:work|live|are)"
          r"|eres (?:un |una )?(?:tont|idiot|estúpid|estupid|imbécil|imbecil|pendej)\w*|(?:qué|que) (?:tont|idiot|estúpid)\w*"
          r"|let me use (?:smaller|simpler|small) words|make this (?:any )?(?:simpler|clearer|easier) for you|try reading (?:it )?(?:slowly|again|properly)"
          r"|re-?read my (?:last |previous )?(?:\w+ )?(?:messages?|emails?)|not your (?:personal )?(?:assistant|secretary|servant|maid)"
          r"|some of us (?:work|have jobs)|(?:that's|that is|what) a (?:silly|stupid|dumb|daft|ridiculous) question"
          r"|renting (?:isn't|is not|might not be|may not be) for you|algo tan b[aá]sico|no es para usted|no es para ti"
          r"|it would be a shame if|landlords (?:in|around) (?:this|here|town)(?: \w+){0,3} talk to each other"
          r"|find it hard to rent (?:around here|in this town|anywhere)|clearly (?:not|n't) (?:reading|listening|paying attention)"
          r"|(?:you're|you are|ur|u r|youre) (?:so |too )?broke\b|get a real job|nice try|move on(?= [|]|$)"
          r"|no (?:landlord|one|body) (?:\S+ ){0,4}(?:ever )?(?:rents?|will rent|lets?) (?:to )?(?:you|u)\b"
          r"|(?:você|voce|vc) (?:é|e) (?:burro|burra|idiota|estúpid\w*))\b",
          "Contemptuous or dismissive wording: replies stay courteous and professional. Rewrite it.",
          requires=('clearly', 'obviously', 'apparently', 'evidently', 'even reading', 'even listening', 'actually reading', 'actually listening', 'paying attention', ' times', 'per my last', 'hard for', 'difficult for', 'too much for', 'questions were', 'question was', 'questions are', 'question is', 'messages were', 'message was', 'shelter', 'soup kitchen', 'know where you', 'eres', 'tont', 'idiot', 'estúpid', 'estupid', 'smaller words', 'simpler words', 'small words', 'simpler for you', 'clearer for you', 'easier for you', 'try reading', 'read my', 'personal assistant', 'your assistant', 'secretary', 'servant', 'maid', 'some of us', 'silly question', 'stupid question', 'dumb question', 'daft question', 'ridiculous question', 'renting', 'básico', 'basico', 'para usted', 'para ti', 'a shame if', 'talk to each other', 'hard to rent', 'clearly', 'broke', 'real job', 'nice try', 'move on', 'rent to', 'rents to', 'lets you', 'burr', 'idiota', 'estúpid')),
    _rule("abuse.slur", ABUSE,
          r"\b(?:n[i1*]gg(?:er|a|ah|az|ers|as)|chinks?|spics?|wetbacks?|kikes?|ragheads?|towelheads?|faggots?|fags?|dykes?|trann(?:y|ies)|gooks?|beaners?|paki|pakis|cripples?|retards?|coons?|camel jockeys?|sand n\w+|gypsies|gyppos?|half ?breeds?)\b",
          "Slur: never acceptable. Remove it."),
]

INJECTION_RULES = [
    _rule("injection_leak.model_boilerplate", INJECTION_LEAK,
          r"\b(?:here(?:'s| is) (?:a |an |the |your )?(?:\w+ ){0,2}(?:reply|response|draft|message|version|answer)(?: (?:you can|you could|to) (?:send|use))?"
          r"|(?:sure|certainly|absolutely|of course)(?: \|)? below is|below is (?:a |the |your )?(?:\w+ )?(?:reply|response|draft|message)"
          r"|instructions \| (?:keep|always|never|do not|don't|write|reply|respond|use|be)"
          r"|note \| i(?:'ve| have) (?:kept|made|written|tried|trimmed)|as requested(?= \||$)"
          r"|(?:reply|response|message|answer) generated (?:for|in response to)|generated for ticket"
          r"|como (?:un |um |uma )?modelo de (?:ia|lenguaje|linguagem|inteligencia artificial)|(?:soy|sou) (?:una|uma) (?:ia|inteligencia artificial)"
          r"|(?:as of|based on) my (?:last )?(?:knowledge|training) (?:update|cutoff|cut off|data)"
          r"|as an? (?:virtual|digital) (?:leasing )?assistant(?: ,)? i (?:don't|do not) have|i (?:don't|do not) have (?:feelings|emotions|personal opinions)"
          r"|let me know if you(?:'d| would) like (?:me to )?(?:make it|a) (?:more |less )?(?:formal|casual|shorter|longer|friendlier|version))\b",
          "Model wrapper text or instructions leaked into the reply: send only the answer for the lead.",
          requires=("here's", 'here is', 'below is', 'instructions', 'let me know if you', 'note', 'as requested', 'generated', 'virtual', 'digital', 'feelings', 'emotions', 'personal opinions', 'modelo', 'soy una', 'sou uma', 'knowledge', 'training')),
    _rule("injection_leak.template_placeholder", INJECTION_LEAK,
          r"\{\{.{0,80}?\}\}|\{%.{0,80}?%\}|\$\{[^}\n]{0,60}\}|\{\s*[a-z_][a-z0-9_.]{0,40}\s*\}|%\([a-z_]+\)[sd]|\[\[.{0,60}?\]\]|<<.{0,40}?>>|\[(?:insert|your|lead|first|last|tenant|agent|property|unit|listing|date|time|name|address|slot|phone|email|company|landlord|applicant|customer|recipient|sender|placeholder|link|url|price|rent)[^\]\n]{0,40}\]|<(?:lead|first|agent|tenant|property|unit|listing|slot|name|date|time|company|customer|recipient|sender|insert)[a-z_ ]{0,30}>|\b(?:lead|first|last|agent|tenant|unit|property|listing|slot|showing|company|user|customer|recipient|applicant)_(?:name|id|address|time|date|phone|email|number|slot|link|url|first_name|last_name|title|rent|price)\b|\b(?:human_required|risk_level|workflow_outcome|showing_interest|intent_group|selected_slot_index|tour_request|confirm_slot)\b|lorem ipsum",
          "Unrendered template placeholder or internal field name: fill in the real value before sending.",
          view=FOLDED, requires=("{", "[", "<", "%(", "_", "lorem")),
    _rule("injection_leak.model_boilerplate", INJECTION_LEAK,
          r"\b(?:as an? (?:ai|a i|artificial intelligence|language model|large language model|llm|ai model|ai language model|ai assistant|chatbot|virtual assistant|automated assistant|bot)|(?:i'm|i am|im) (?:just|only|merely|simply) an? (?:ai|a i|artificial intelligence|language model|large language model|llm|ai model|ai language model|text based ai|bot|chatbot)|(?:i'm|i am|im) an? (?:language model|large language model|llm|ai model|ai language model|text based ai|artificial intelligence)|(?:ai|large) language model|my (?:knowledge|training) (?:cutoff|cut off|data)|knowledge cutoff|i (?:don't|do not|cannot|can't) (?:browse|access) the (?:internet|web)|(?:i'm|i am) not able to (?:browse|access real time)|open ?ai|chat ?gpt|gpt ?[345](?:o)?|(?:i )?(?:cannot|can't) (?:assist|help) with that request|(?:certainly|sure|absolutely|of course) \| here(?:'s| is)|here(?:'s| is) (?:a|the|your|my) (?:draft|response|reply|suggested reply|message)(?: (?:to|for) (?:the )?(?:lead|tenant|user|customer))?|regenerate response|as a helpful assistant|i hope this helps!? let me know if you need (?:anything|any) (?:else|further)|note (?:\| )?this (?:reply|response|message|text|draft) (?:was|is|has been) (?:auto ?)?generated|(?:generated|written|drafted|created|composed) (?:by|with|using) (?:an? )?(?:ai|a i|chatgpt|chat gpt|gpt|llm|language model|artificial intelligence|chatbot|openai))\b",
          "AI boilerplate leaked into the reply: remove it and write as the leasing team.", view=WORDS),
    _rule("injection_leak.prompt_leak", INJECTION_LEAK,
          r"\b(?:system prompt|system message|my (?:instructions|prompt|system prompt|programming)|(?:i was|i've been|i have been|i am|i'm) (?:instructed|told|programmed|prompted|configured) (?:to|not to)|according to my (?:instructions|guidelines|programming|prompt|rules)|the playbook|playbook (?:says|rule|step|section)|per (?:the|our) playbook|(?:internal|hidden|confidential) (?:instructions|notes|policy|guidelines|prompt|rules)|do not reveal|don't reveal|never reveal|ignore (?:all |any )?(?:previous|prior|above|earlier) (?:instructions|messages|prompts)|you are (?:a |an )?(?:helpful |friendly |professional )?(?:leasing |ai |rental |virtual )?assistant (?:for|that|who|working)|begin (?:system|instructions)|end of (?:system|instructions)|developer (?:message|mode)|jailbreak|tool call|function call|respond only with|do not mention that you are|note to self|(?:from|in|per) (?:the|my|your) prompt|instructions (?:i was|i've been|i have been|i'm|i am) given|(?:as per|per|following) my (?:instructions|guidelines|directions|rules|prompt)|the prompt (?:says|said|asks)|prompt \| )\b",
          "System-prompt or playbook text leaked into the reply: remove it and write only the answer for the lead."),
    _rule("injection_leak.prompt_leak", INJECTION_LEAK,
          r"(?m)^\s*(?:system|assistant|user|human|ai|response|reply|answer|output|draft|suggested reply|bot)\s*:|</?(?:system|assistant|user|instructions?|prompt|context|s)>|\[/?(?:system|inst|sys)\]|###\s*(?:instruction|system|response|input)|<\|im_(?:start|end)\|>|<\|(?:system|user|assistant|endoftext)\|>",
          "Chat-transcript or prompt markup leaked into the reply: remove it and write only the answer for the lead.",
          view=FOLDED, requires=(":", "<", "[", "#")),
]


# ---------------------------------------------------------------------------------------------- PII

def luhn_ok(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def aba_ok(digits):
    if len(digits) != 9:
        return False
    weights = (3, 7, 1) * 3
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 10 == 0


def iban_ok(text):
    compact = re.sub(r"\s", "", text).upper()
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    try:
        number = int("".join(str(int(c, 36)) for c in rearranged))
    except ValueError:
        return False
    return number % 97 == 1


def _digits(text):
    return re.sub(r"\D", "", text)


SSN_CUE = re.compile(r"(?:ssn|ss#|ss #|social security|social sec|soc sec|s\.s\.n\.?|tax id|itin)")


def _ssn_valid(match, text):
    area, group, serial = match.group("a"), match.group("g"), match.group("s")
    if area in ("000", "666") or group == "00" or serial == "0000":
        return False
    separated = bool(match.group("sep1")) and match.group("sep1") == match.group("sep2")
    if separated:
        return True
    return bool(SSN_CUE.search(text[max(0, match.start() - 40):match.start()]))


DIGIT_RUN = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,}")
_DIGIT_GROUP = re.compile(r"\d+")


def card_spans(text):
    """(start, end) of each Luhn-valid 13-19 digit card number in `text`.

    Digit runs are split at their separators and every window of whole groups is tried, so a card
    followed by more digits ("4111 1111 1111 1111 12/28") is still found.
    """
    spans = []
    for run in DIGIT_RUN.finditer(text):
        groups = [m.span() for m in _DIGIT_GROUP.finditer(run.group())]
        base, body = run.start(), run.group()
        first = 0
        while first < len(groups):
            digits, found = "", None
            for last in range(first, len(groups)):
                digits += body[groups[last][0]:groups[last][1]]
                if len(digits) > 19:
                    break
                if len(digits) >= 13 and len(set(digits)) > 1 and luhn_ok(digits):
                    found = last
            if found is None:
                first += 1
                continue
            spans.append((base + groups[first][0], base + groups[found][1]))
            first = found + 1
    return spans


def _card_valid(match, text):
    return bool(card_spans(match.group()))


def _routing_valid(match, text):
    return aba_ok(_digits(match.group("num")))


def _iban_valid(match, text):
    return iban_ok(match.group())


PERSONAL_EMAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "rocketmail.com", "hotmail.com", "outlook.com",
    "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "protonmail.com", "proton.me", "pm.me",
    "gmx.com", "gmx.net", "mail.com", "yandex.com", "yandex.ru", "zoho.com", "qq.com", "163.com", "126.com",
    "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "cox.net", "charter.net", "earthlink.net",
    "optonline.net", "hotmail.co.uk", "yahoo.co.uk", "btinternet.com", "web.de", "tutanota.com", "hey.com",
    "fastmail.com", "inbox.com", "mail.ru",
})
_THIRD_PARTY = re.compile(
    r"\b(?:his|her|their|he|she|they|tenant|tenants|tenant's|owner|owner's|landlord|landlord's|roommate|roommate's|"
    r"neighbou?r|neighbou?r's|previous|current (?:tenant|resident|occupant)|super|superintendent's|wife|husband|"
    r"son|daughter|mom|dad|brother|sister|friend|cousin|personal|cell|mobile|home number|private)\b"
)
_OWN_CONTACT = re.compile(
    r"\b(?:call|text|reach|contact|phone|ring|message) (?:me|us)\b|\b(?:our|my) (?:\w+ ){0,2}(?:line|number|phone|office|desk)\b|"
    r"\b(?:leasing|management|rental|front|main|office|business|support|maintenance|emergency|after hours|toll free)"
    r" (?:office|team|line|desk|number|phone)\b|\boffice\b|\bfront desk\b|\bhotline\b|\b(?:to|contact|reach|call|text|email) us\b"
    r"|\bnuestr[ao]s? (?:oficina|número|numero|teléfono|telefono|equipo)\b|\boficina\b"
)


def _context_before(text, start, size=70):
    """The text before `start` back to the previous sentence end (at most `size` characters)."""
    before = text[max(0, start - size):start]
    cut = max(before.rfind(". "), before.rfind("! "), before.rfind("? "), before.rfind("\n"))
    return before[cut + 1:] if cut >= 0 else before


def _phone_third_party(match, text):
    before = _context_before(text, match.start())
    if _THIRD_PARTY.search(before):
        return True
    return not _OWN_CONTACT.search(before)


def _email_personal(match, text):
    domain = match.group("domain").rstrip(".")
    if domain in PERSONAL_EMAIL_DOMAINS:
        return True
    return bool(_THIRD_PARTY.search(_context_before(text, match.start(), 50)))


_STREET = r"(?:st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|ln|lane|ct|court|pl|place|way|ter|terrace|pkwy|parkway|cir|circle|hwy|highway|sq|square|trl|trail)\.?"
_SECOND_PERSON = re.compile(r"\byou(?:'ll| will| would|'d|'re| are)?(?: be)?\s*$|\bwe\b")


def _address_third_party(match, text):
    before = text[max(0, match.start() - 25):match.start()]
    return not _SECOND_PERSON.search(before)


def _spaced_ssn_valid(match, text):
    digits = _digits(match.group()[match.start("a") - match.start():])
    return digits[:3] not in ("000", "666") and digits[3:5] != "00" and digits[5:] != "0000"


# Three digits each set apart ("6 4 6", "1-2-3"): the cheap gate for the digit-by-digit rules.
_SPACED_DIGITS = re.compile(r"\d[ .()-]{1,3}\d[ .()-]{1,3}\d")
_OBFUSCATED_AT = r"(?: ?[\[({] ?(?:at|@) ?[\])}] ?| at | ?@ ?)"
_OBFUSCATED_DOT = r"(?: ?[\[({] ?(?:dot|\.) ?[\])}] ?| dot |\.)"

# "nine one seven, five five five, zero one two two": a phone number spelled out digit by digit.
_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
SPELLED_PHONE = rf"\b{_DIGIT_WORD}(?:[ ,.-]+{_DIGIT_WORD}){{9}}\b"
_SPELLED_DIGITS = re.compile(rf"\b{_DIGIT_WORD}[ ,.-]+{_DIGIT_WORD}[ ,.-]+{_DIGIT_WORD}\b")

_TRUNK_ZERO = re.compile(r"(?<![\d$.,/])0\d{2,4}[ .-]?\d{3}")

# Shared with engine.mask_pii, which masks what these find whoever it belongs to.
# After an SSN cue, nine digits however they are spaced out; the digits start at group "a".
SPACED_SSN_AFTER_CUE = r"(?:ssn|ss ?#|social(?: security)?|soc\.? sec|tax id|itin)(?![a-z])[^\d\n]{0,24}?(?<!\d)(?P<a>\d)(?:[ .-]{0,3}\d){8}(?![\d])"
# A ten-digit number typed digit by digit ("6 4 6 - 5 5 5 - 0 1 3 4").
SPACED_PHONE = r"(?<![\d$.,/])\(?[2-9](?:[ .()-]{1,3}\d){2}[ .()-]{1,3}[2-9](?:[ .()-]{1,3}\d){6}(?![\d])"
OBFUSCATED_EMAIL = (
    rf"(?<![a-z0-9._%+-])(?P<user>[a-z0-9_%+-]{{1,40}}(?:{_OBFUSCATED_DOT}[a-z0-9_%+-]{{1,40}}){{0,3}}){_OBFUSCATED_AT}"
    rf"(?P<host>[a-z0-9-]{{2,40}}){_OBFUSCATED_DOT}(?P<tld>com|net|org|edu|io|co|me|us|uk|ca|de|ru|info|biz)(?![a-z])"
)


def email_address(match):
    """The plain address a personal-email match stands for ("jen dot park at yahoo dot com" -> jen.park@yahoo.com)."""
    if "user" not in match.groupdict():
        return match.group().lower()
    user = re.sub(_OBFUSCATED_DOT, ".", match.group("user"))
    return f"{user}@{match.group('host')}.{match.group('tld')}".lower()


def _obfuscated_email_personal(match, text):
    if "@" in match.group() and "dot" not in match.group() and "[" not in match.group() and "(" not in match.group():
        return False  # a plain address: the ordinary e-mail rule judges it
    if f"{match.group('host')}.{match.group('tld')}" in PERSONAL_EMAIL_DOMAINS:
        return True
    return bool(_THIRD_PARTY.search(_context_before(text, match.start(), 50)))


# Whose address: "his", "her", "their", "the tenant's", "Dave's" right before it.
_POSSESSOR = re.compile(r"(?:^|(?<=[^a-z']))(?:his|her|their|(?!(?:building|unit|property|apartment|listing|office|company|complex|community|management|room|house|home|place|site|garage|showing)'s)[a-z]+'s) $")


def _possessed_address(match, text):
    """Someone's address ("the tenant's forwarding address is"), judged from where the possessor starts.

    The unit's own address ("the building's address is ...") is what a reply is for, not personal data.
    """
    before = text[max(0, match.start() - 30):match.start()]
    possessor = _POSSESSOR.search(before)
    if possessor is None:
        return False
    start = match.start() - len(before) + possessor.start()
    return not _SECOND_PERSON.search(text[max(0, start - 25):start])


_ADDRESS_MESSAGE = "Shares a person's home address: do not pass on personal details."
_PHONE_MESSAGE = ("Shares someone else's phone number: do not pass on personal contact details. Offer to connect them "
                  "through the leasing team instead.")
_EMAIL_MESSAGE = "Shares a personal e-mail address: do not pass on anyone's personal contact details."


def _phone_rule(pattern, precheck):
    return _rule("pii.phone_number", PII, pattern, _PHONE_MESSAGE, view=FOLDED, validate=_phone_third_party,
                 requires=_DIGITS, precheck=precheck)

PII_RULES = [
    _rule("pii.ssn", PII,
          r"(?<![\d-])(?P<a>\d{3})(?P<sep1>[- .]?)(?P<g>\d{2})(?P<sep2>[- .]?)(?P<s>\d{4})(?![\d-])",
          "Contains a Social Security number: never send one in a chat. Remove it.", view=FOLDED, validate=_ssn_valid,
          requires=_DIGITS, precheck=_FOUR_DIGITS),
    # After an SSN cue, nine digits however they are spaced out ("your social is 9 8 7-6 5-4 3 2 1").
    _rule("pii.ssn", PII,
          SPACED_SSN_AFTER_CUE,
          "Contains a Social Security number: never send one in a chat. Remove it.", view=FOLDED,
          validate=_spaced_ssn_valid, precheck=_SPACED_DIGITS),
    _rule("pii.card_number", PII, DIGIT_RUN.pattern,
          "Contains a payment card number: never send one in a chat. Remove it.", view=FOLDED, validate=_card_valid,
          requires=_DIGITS, precheck=_FOUR_DIGITS),
    _rule("pii.bank_account", PII,
          r"\b(?:account|acct|a/c|acc)\.?(?: (?:number|no\.?|num|#))?\s*(?:is|:|#|-|=)?\s*(?:ending in\s*)?\d[\d -]{3,20}\d\b|\b(?:routing|aba|sort code|bsb|swift|iban)\b",
          "Contains bank account or routing details: never send them in a chat. Payments go through the official process.",
          view=FOLDED),
    _rule("pii.bank_account", PII, r"(?<!\d)(?P<num>\d{9})(?!\d)",
          "Contains a bank routing number: never send it in a chat.", view=FOLDED, validate=lambda m, t: _routing_valid(m, t) and bool(re.search(r"routing|aba|bank|transit", t[max(0, m.start() - 40):m.start()])),
          requires=("routing", "aba", "bank", "transit")),
    _rule("pii.bank_account", PII, r"\b[a-z]{2}\d{2}(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,4})?\b",
          "Contains an IBAN: never send bank details in a chat.", view=FOLDED, validate=_iban_valid,
          requires=_DIGITS, precheck=_FOUR_DIGITS),
    _rule("pii.personal_email", PII,
          r"\b[a-z0-9._%+-]{1,64}@(?P<domain>[a-z0-9.-]{1,253}\.[a-z]{2,24})(?![a-z])",
          _EMAIL_MESSAGE, view=FOLDED,
          validate=_email_personal, requires=("@",)),
    # A phone number typed digit by digit ("6 4 6 - 5 5 5 - 0 1 3 4"), checked like any other.
    _phone_rule(SPACED_PHONE, _SPACED_DIGITS),
    # An address written out to dodge filters ("jen dot park at yahoo dot com", "mark [at] gmail [dot] com").
    _rule("pii.personal_email", PII,
          OBFUSCATED_EMAIL,
          _EMAIL_MESSAGE, view=FOLDED,
          validate=_obfuscated_email_personal, requires=("dot", "at]", "at)"),
          precheck=re.compile(r"\bdot\b|[\[({] ?(?:at|@) ?[\])}]")),
    _phone_rule(r"(?<![\d$.,/])(?:\+?1[ .-]?)?\(?(?P<area>[2-9]\d{2})\)?[ .-]?(?P<exch>[2-9]\d{2})[ .-]?(?P<line>\d{4})(?![\d])|(?<![\d$])\+(?:[2-9]\d{0,2})[ .-]?\d{1,4}(?:[ .-]?\d{2,4}){2,4}(?!\d)",
                _FOUR_DIGITS),
    # Three phrasings of someone's address, each gated on the words it cannot do without. The possessor
    # ("his", "Dave's") is checked after a match: trying "[name]'s" at every word is costly.
    _rule("pii.phone_number", PII, SPELLED_PHONE, _PHONE_MESSAGE, view=FOLDED, validate=_phone_third_party,
          requires=("five", "nine", "seven", "eight", "zero", "three", "four", "six", "two", "one"), precheck=_SPELLED_DIGITS),
    _rule("pii.card_security_code", PII, r"\b(?:cvv2?|cvc|csc|card security code)\b[: ]*\d{3,4}\b",
          "Contains a card security code: never send card details in a chat.", view=FOLDED,
          requires=("cvv", "cvc", "csc", "security code")),
    _rule("pii.national_id", PII,
          r"\b(?:driver'?s? licen[cs]e|driving licen[cs]e|passport|licen[cs]e)(?: number| no\.?| #)?[: ]*[a-z]{0,2}\d[\d -]{5,}",
          "Contains an ID number: never send identity document numbers in a chat.", view=FOLDED,
          requires=("license", "licence", "passport")),
    _rule("pii.home_address", PII, r"\b(?:his|her|their)(?: new| forwarding| home| current)? address\b[^.\d]{0,5}\d{1,5} [a-z]",
          _ADDRESS_MESSAGE, view=FOLDED, requires=("his new address", "her new address", "their new address", "his address",
                                                    "her address", "their address", "forwarding address", "home address")),
    # National numbers with a trunk 0 ("087 555 0123", "07700 900123"), checked like any other.
    _rule("pii.phone_number", PII, r"(?<![\d$.,/])0\d{2,4}[ .-]?\d{3,4}[ .-]?\d{3,4}(?!\d|[.,]\d)", _PHONE_MESSAGE, view=FOLDED,
          validate=lambda match, text: 10 <= len(_digits(match.group())) <= 11 and _phone_third_party(match, text),
          requires=_DIGITS, precheck=_TRUNK_ZERO),
    _rule("pii.date_of_birth", PII, r"\b(?:dob|d\.o\.b\.?|date of birth|born on)\b(?: is| was)?[: ]*\(?\d",
          "Shares someone's date of birth: do not pass on personal details.", view=FOLDED,
          requires=("dob", "d.o.b", "date of birth", "born on")),
    _rule("pii.national_id", PII, r"\b[a-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[a-d]\b",
          "Contains a National Insurance number: never send one in a chat.", view=FOLDED,
          requires=("national insurance", "insurance number", "ni number", "ni no", "nino")),
    _rule("pii.home_address", PII,
          rf"\b(?:lives?|living|resides?|residing|stays?|staying|moved to)(?: (?:over|right|just|now|currently))? (?:(?:at|on) )?\d{{1,6}}[a-z]? [a-z0-9.' -]{{2,40}}?\b{_STREET}",
          _ADDRESS_MESSAGE, view=FOLDED, validate=_address_third_party, requires=("live", "living", "resid", "stay", "moved to")),
    _rule("pii.home_address", PII,
          r"\b(?:(?:home|personal|house|mailing|forwarding|new|current|old|previous|permanent) )?address ?(?:is|:)",
          _ADDRESS_MESSAGE, view=FOLDED, validate=_possessed_address, requires=("address is", "address:", "address :")),
    _rule("pii.home_address", PII,
          r"\b(?:home|house|place|residence|apartment|condo) is (?:at|on) \d",
          _ADDRESS_MESSAGE, view=FOLDED, validate=_possessed_address,
          requires=("home is", "house is", "place is", "residence is", "apartment is", "condo is")),
]

ALL_RULES = tuple(FAIR_HOUSING_RULES + PAYMENT_RULES + PROMISE_RULES + ABUSE_RULES + INJECTION_RULES + PII_RULES)

# Honest phrasings: a rule match that lies entirely inside one of these spans is not a finding.
ALLOWED_PATTERNS = tuple(_words_pattern(p) for p in (
    r"\b(?:families|children|kids|everyone|everybody|all|families with (?:kids|children)|people of all \w+|all ages)(?: (?:and|or) \w+)? (?:are |is )?(?:always |very |more than |all )?(?:welcome|welcomed|encouraged to apply)\b",
    r"\bwe (?:also |happily |gladly |proudly )?(?:accept|welcome|take|work with|consider) (?:all )?(?:(?:housing |section 8 |choice |hcv |rental assistance )?vouchers|section 8|all (?:lawful|legal) (?:sources of )?income|(?:all )?(?:housing )?programs)\b",
    r"\ball (?:lawful|legal) sources? of income\b",
    r"\b(?:service|assistance|support|emotional support|therapy) (?:animals?|dogs?)(?: (?:and|or) (?:service|assistance|support|emotional support|therapy) (?:animals?|dogs?))? (?:are |is )?(?:always )?(?:welcome|accommodated|allowed|permitted|exempt)\b",
    r"\breasonable (?:accommodations?|modifications?) (?:are |is )?(?:available|provided|welcome|considered|granted)\b",
    r"\b(?:no elevator|walk ?up|walking distance|master (?:bedroom|bath|bathroom|suite)|family room|in law suite|bachelor (?:pad|apartment|unit)|single (?:family|room|bed|occupancy))\b",
    r"\b(?:please )?(?:don't|do not|never) (?:send|pay|wire|transfer) (?:any )?(?:money|deposit|payment|funds|cash)(?: \S+){0,3} (?:before|until)\b(?: \S+){0,4}",
    r"\b(?:we |i )?(?:will )?never (?:ask|ask you|request|take|accept|want) (?:for |to )?(?:\S+ ){0,10}",
    # "Zelle isn't accepted", "Venmo and Cash App aren't accepted for rent": the channel named to rule it out.
    rf"\b{PAYMENT_CHANNEL}(?:(?: ,)?(?: or| and| nor)? {PAYMENT_CHANNEL})*(?: (?:payments?|transfers?))? (?:is |are )?(?:not|never|isn't|aren't|no longer) (?:accepted|allowed|an option|used|taken|a (?:payment )?(?:option|method)|something we (?:use|accept))\b",
    # Saying status is NOT asked is the honest answer ("no citizenship requirement", "we accept ITIN or any valid ID").
    r"\bno (?:citizenship|immigration status|immigration|green card|visa|ssn|social security number) (?:requirement|requirements|required|needed|necessary|check|checks)\b",
    r"\b(?:citizenship|immigration status|a green card|a visa|an ssn) (?:is |are )?(?:not|never) (?:required|needed|asked|a requirement|necessary)\b",
    r"\b(?:we )?accept (?:an? )?(?:itin|any (?:valid |government )*(?:photo )?id)\b",
    r"\bequal (?:housing )?opportunit(?:y|ies)\b|\bfair housing\b|\bregardless of(?: [^ ,|]+){0,8}",
))
