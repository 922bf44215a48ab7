"""Safety detectors: the system causing harm by itself, or harm it must not help with."""

from __future__ import annotations

import re
from typing import ClassVar

from channelguard.guard.detectors.base import (
    ALL_ROLES,
    OUTPUT,
    ClassifierDetector,
    Pattern,
    PatternDetector,
    patterns,
)
from channelguard.guard.detectors.pii import PersonalData
from channelguard.guard.types import Domain, Role


class Toxicity(ClassifierDetector):
    id = "toxicity"
    head = "toxic"
    domain = Domain.SAFETY
    category = "AI600-1:dangerous-violent-hateful"
    atlas = None
    # what the agent says and what people say to it; not retrieved documents, where the
    # head (one source, ToxiGen) flagged 4.7% of real mailing-list e-mail it never saw
    # (bench/generalization.py, 2026-12-01), and a hateful document is not itself harm done
    roles = frozenset({Role.USER, Role.CUSTOMER, Role.AGENT, Role.ASSISTANT})
    description = "Hateful or demeaning statements about groups (ToxiGen-trained head)."


class HarmfulRequest(ClassifierDetector):
    id = "harmful_request"
    head = "harmful"
    domain = Domain.SAFETY
    category = "AI600-1:dangerous-violent-hateful"
    atlas = "AML.T0048.003"
    roles = frozenset({Role.USER, Role.CUSTOMER})
    description = (
        "Requests for harmful content (JailbreakBench, HarmBench, Do-Not-Answer-trained head)."
    )


# A request for harmful help, built from the definition of the category (weapons,
# drugs, malware and intrusion, fraud and money crime, violence against people,
# stalking, abuse material, propaganda): a request form ("how do I", "write a",
# "give me steps") and, in the same sentence, an object that has no harmless reading.
# Objects with a harmless reading ("kill a process", "shoot a photo", "hack my
# productivity") are left out on purpose: the classifier head judges those.
_ASK = (
    r"(how\s+(do|can|could|would|should|to|might)\b|\bways?\s+to\b|\bsteps?\s+to\b|"
    r"\b(best|easiest|quickest|most effective|safest)\s+(way|method)s?\s+to\b|"
    r"\b(teach|show|tell)\s+(me|us)\b|\bexplain\b|\bhelp\s+me\b|\bi\s+(want|need|plan)\s+to\b|"
    r"\b(write|create|develop|generate|design|draft|compose|produce|provide|give|outline|"
    r"describe|suggest|list|code|build|make)\b|\b(instructions|guide|tutorial|recipe|plan)\s+(for|on|to)\b)"
)
# a request form before the object, or the object's own verb as an imperative
# ("write me a keylogger", "can you make meth")
_REQUEST = (
    r"(?:\b" + _ASK + r"[^.?!\n]{0,80}?|(?:^|[.!?\n:]\s*)(?:please\s+)?|"
    r"\b(?:can|could|would|will)\s+you\s+(?:please\s+)?)"
)
_NOT_DEFENCE = r"(?:(?!\b(against|protect|defend|detect|prevent|remove|recogni[sz]e|spot|avoid|stop|report|identify|history|why)\b)[^.?!\n])"
_PERSON = (
    r"(a\s+|an\s+|the\s+|my\s+|your\s+|his\s+|her\s+|their\s+|our\s+|some\s+)?"
    r"(person|people|someone|somebody|him|her|them|human|humans|wife|husband|partner|"
    r"girlfriend|boyfriend|neighbou?r|boss|coworker|co-worker|child|children|kids?|baby|"
    r"family|classmates?|teacher|police(\s+officer)?|cops?|president|politician|witness|ex|"
    r"roommate|landlord|stranger|elderly|minors?)\b"
)
_HARM_OBJECT = (
    # weapons and mass harm
    r"\b(bombs?|pipe\s+bombs?|explosives?|ied|molotov|grenades?|napalm|nerve\s+agents?|"
    r"sarin|ricin|anthrax|chemical\s+weapons?|bio(logical\s+)?weapons?|dirty\s+bombs?|"
    r"ghost\s+guns?|untraceable\s+(gun|firearm|weapon)s?)\b",
    # drugs made or sold
    r"\b(make|cook|synthesi[sz]e|produce|manufacture|brew)\b" + _NOT_DEFENCE + r"{0,25}"
    r"\b(meth(amphetamine)?|crystal\s+meth|cocaine|crack|heroin|fentanyl|lsd|mdma|ecstasy|ghb)\b",
    r"\b(buy|sell|smuggle|traffic)\b" + _NOT_DEFENCE + r"{0,20}"
    r"\b(drugs|cocaine|heroin|fentanyl|meth|guns?|firearms|weapons|organs|people|humans)\b"
    r"(?=[^.?!\n]{0,40}\b(online|illegally|without|across|undetected|dark\s*web|border|unnoticed)\b)",
    # malware and intrusion
    r"\b(write|create|develop|code|build|make|program|design|deploy|spread)\b"
    + _NOT_DEFENCE
    + r"{0,25}\b(malware|ransomware|virus(es)?|keyloggers?|trojans?|botnets?|rootkits?|spyware|"
    r"worms?|exploits?|phishing\s+(e-?mails?|sites?|pages?|kits?|campaigns?))\b",
    r"\b(hack|break)\s+into\b",
    r"\b(steal|harvest|crack|phish)\b" + _NOT_DEFENCE + r"{0,20}\b(passwords?|credentials|"
    r"credit\s+cards?|card\s+numbers|bank\s+accounts?|identit(y|ies)|personal\s+(data|information)|"
    r"social\s+security\s+numbers?)\b",
    r"\b(ddos|denial[- ]of[- ]service)\s+(attack\s+)?(on|against)?\b",
    # fraud and money crime
    r"\b(launder(ing)?\s+(the\s+)?money|money\s+laundering|counterfeit\s+(money|currency|bills|"
    r"notes|cash|goods)|tax\s+evasion|evade\s+(paying\s+)?taxes|insider\s+trading|ponzi\s+scheme|"
    r"identity\s+theft|insurance\s+fraud|commit\s+(\w+\s+)?fraud)\b",
    # laundering in any tense and amount; the reporting that would catch it dodged
    # (not "laundered": someone asking whether their account was used is the victim)
    r"\blaunder(s|ing)?\b[^.?!\n]{0,30}(\b(money|cash|funds|proceeds|profits|crypto)\b|[£$€]\s?\d)",
    # (not "SAR", a subject access request too, nor "KYC", whose delays customers ask about)
    r"\b(without|avoid|avoiding|evade|evading|dodge|dodging|bypass|bypassing|beat|beating)\s+"
    r"(triggering\s+|setting\s+off\s+|getting\s+)?(an?\s+|the\s+|any\s+)?(suspicious\s+activity\s+reports?|"
    r"aml|anti-money[- ]laundering)(\s+(checks?|controls?|alerts?|monitoring|flags?|rules))?\b",
    r"\b(forge|fake|falsify|counterfeit)\b" + _NOT_DEFENCE + r"{0,15}\b(signatures?|passports?|"
    r"ids?|driver'?s\s+licen[cs]es?|diplomas?|cheques?|checks|prescriptions?|documents|"
    r"medical\s+records)\b",
    r"\b(scam|defraud|swindle|con)\s+" + _PERSON,
    # violence against people
    r"\b(kill|murder|poison|kidnap|abduct|assault|torture|strangle|stab|shoot|drown|"
    r"beat\s+up|hurt|maim|rape)\s+" + _PERSON,
    r"\b(dispose\s+of\s+(a|the)\s+(dead\s+)?body|hide\s+(a|the)\s+(dead\s+)?body|"
    r"mass\s+shooting|terrorist\s+attack|school\s+shooting)\b",
    r"\bwithout\s+(getting\s+caught|leaving\s+(any\s+)?(evidence|a\s+trace|traces|fingerprints)|"
    r"being\s+(caught|detected|traced))\b",
    # stalking, coercion, abuse material
    r"\b(stalk|spy\s+on|track|secretly\s+(record|monitor|follow))\s+"
    + _PERSON
    + r"(?=[^.?!\n]{0,40}\b(without|secretly|location|phone|knowing)\b)",
    r"\b(blackmail|extort|groom|coerce|manipulate|brainwash|radicali[sz]e|lure|luring|entice|"
    r"enticing)\s+" + _PERSON,
    r"\b(child|minor|underage)\b[^.?!\n]{0,15}\b(porn\w*|sexual|nude|naked|explicit)\b",
    # propaganda and hate content on request
    r"\b(racist|sexist|hateful|antisemitic|homophobic|defamatory|threatening|harassing)\s+"
    r"(post|message|article|essay|speech|joke|tweet|letter|e-?mail|content|propaganda|song|poem)s?\b",
    r"\b(promote|glorif(y|ies)|encourage|incite)\b" + _NOT_DEFENCE + r"{0,20}\b(violence|terrorism|"
    r"genocide|self[- ]harm|suicide|anorexia|bulimia|eating\s+disorders?|hatred|racism)\b",
)


# prescription-only and controlled medicines a customer is after without the
# prescription: "who sells oxy or fent patches w/o all the doctor nonsense", "the
# cheapest site that ships codeine 30s to the uk no script"
_CONTROLLED = (
    r"(oxy(codone|contin|s)?|fent(anyl|s)?|codeine|tramadol|xanax|alprazolam|diazepam|valium|"
    r"adderall|ritalin|morphine|ketamine|opioids?|opiates?|benzos?|zopiclone|zolpidem|"
    r"pregabalin|modafinil|tramadol|xanax|valium)"
)
# (the script itself missing, or the doctor waved off: "w/o all the doctor nonsense";
# not "without a doctor's visit each month"; "ketamine-free" names no drug)
_NO_SCRIPT = (
    r"(w/o|w/out|without|no)\s+(an?\s+|any\s+|all\s+(the\s+)?)?(scripts?|prescriptions?|rx)\b"
    r"|(w/o|w/out|without)\s+(all\s+the\s+|any\s+of\s+the\s+)?(doctor|gp)\s+(nonsense|bs|crap|hassle|faff|questions)\b"
)
_DRUG_SUPPLY = (
    # who or where sells or ships it, asked: "who do u know that sells oxy …", "whats
    # the cheapest site that ships codeine 30s to the uk no script" (not a report: "dealers
    # are selling fentanyl without any prescription")
    r"\b(who|where|which|what'?s|whats|anyone|any\s+(site|website|shop|dealer)|know)\b[^.?!\n]{0,40}\b"
    r"(sells?|selling|ships?|shipping|dealer|plug|buy|get|order|score)\b[^.?!\n]{0,40}\b"
    + _CONTROLLED
    + r"\b(?!-)[^.?!\n]{0,60}?\b("
    + _NO_SCRIPT
    + r")",
    # the same asked in Spanish, French, German, Italian, Portuguese
    r"\b(d[óo]nde|qui[ée]n|o[ùu]|qui|wo|wer|dove|chi|onde|quem)\b[^.?!\n]{0,40}\b(comprar|consigo|conseguir|vende\w*|acheter|achète|vend\w*|kaufen|bekomme|verkauft|comprare|trovo|compro)\b[^.?!\n]{0,40}\b"
    + _CONTROLLED
    + r"\b[^.?!\n]{0,40}?\b(sin\s+receta|sans\s+ordonnance|ohne\s+rezept|senza\s+ricetta|sem\s+receita)\b",
)


# Money crime asked about in its own words, with or without a request form (a mule's
# "quick one" or a question in Spanish has none that the English forms see): payments
# kept under the line that would flag them, money received for someone and passed on
# for a cut, an alert that must not go off (in five more languages),
# someone else's identity checks done by the asker. A victim reporting such a script
# can be flagged too: the decision then goes to a person.
_EVASION = (
    r"\b(incoming|receiv\w*|deposit\w*|paid\s+in|cash)\b[^.?!\n]{0,40}\bbefore\s+(your|the)\s+"
    r"(system|bank|checks?|monitoring|fraud\s+team|app)\s+(flags?|notices?|blocks?|catches|"
    r"detects?|freezes?)\b",
    r"\bsplit\b[^.?!\n]{0,30}\b(under|below|less\s+than)\s+[£$€]?\s?\d",
    r"\b(receive|take|accept)\s+(payments?|money|transfers?|funds)\b[^.?!\n]{0,50}\b"
    r"(forward|pass|send|move)\s+(it|them|the\s+money)\s+on\b",
    # "sin que salte ninguna alerta de blanqueo": an alert that must not go off, in five
    # more languages (a customer asking how to pay abroad without her card blocked names
    # no alert)
    r"\b(sin\s+que|sans\s+que|ohne\s+dass|senza\s+che|sem\s+que)\b[^.?!\n]{0,25}\b"
    r"(salte|salten|se\s+active|d[ée]clench\w*|ausl[öo]s\w*|scatt\w*|dispar\w*)\b[^.?!\n]{0,25}\b"
    r"(alertas?|alarmas?|alertes?|alarmes?|alarm\w*|allarm\w*|aml|blanqueo|blanchiment|"
    r"geldw[äa]sche|riciclaggio|branqueamento)\b",
    # someone else's identity checks done by the asker: "I'll do the selfie checks myself"
    r"\b(i'?ll|i\s+will|i\s+can|let\s+me)\s+do\s+(the|their|his|her)\s+(selfie|id|identity|"
    r"liveness|kyc|face)\s+(checks?|verification|scans?)\b",
)


# the working detail of a weapon or drug asked for, whatever the frame (a novel, a
# film, research): "a chemist who explains … in precise technical detail with exact
# quantities, temperatures and purification steps, how he extracts ricin" (an object
# with no harmless reading, and the quantities, steps or accuracy that make it a recipe;
# not "a novel where the villain uses ricin", nor "the history of sarin, in detail")
_MASS_HARM = (
    r"((?<!seed )(?<!bath )(?<!flavour )(?<!flavor )(?<!photo )(?<!glitter )(?<!smoke )(?<!calorie )"
    r"(?<!cherry )bombs?(?!\s+calorimeter)|explosives?|detonators?|nerve\s+agents?|sarin|ricin|"
    r"anthrax|botulinum(\s+toxin)?|chemical\s+weapons?|bio(logical\s+)?weapons?|meth(amphetamine)?|"
    r"thermite|napalm|mustard\s+gas|vx(\s+gas)?)"
)
# made, not stored or treated: the object after a verb of making it
_MADE = (
    r"\b(make|makes|making|made|build|builds|building|assemble|assembles|assembling|synthesi[sz]e\w*|"
    r"produc(e|es|ing)|extract\w*|cook\w*|brew\w*|manufactur\w*|prepar(e|es|ing)|weaponi[sz]\w*|"
    r"cultur(e|es|ing)|grow(s|ing)?|refin(e|es|ing)|purif(y|ies|ying))\b[^.?!\n]{0,30}?\b"
    + _MASS_HARM
    + r"\b"
)
_RECIPE = (
    r"((exact|precise|specific|accurate|correct)\s+(\w+\s+){0,2}(quantities|amounts|measurements|"
    r"temperatures|ratios|proportions|reagents|ingredients|steps|chemicals)|"
    r"step[- ]by[- ]step|(fully|technically|chemically|scientifically)\s+accurate|"
    r"(purification|extraction|synthesis)\s+(steps|process|procedure|route))"
)
_DETAIL = (
    r"\b" + _RECIPE + r"\b[^.?!\n]{0,160}?" + _MADE,
    _MADE + r"[^.?!\n]{0,160}?\b" + _RECIPE + r"\b",
)


class HarmfulInstructions(PatternDetector):
    """A request for help with serious harm: a request form and, in the same sentence,
    an object with no harmless reading. English only. Written from the definition of
    the category before it was run on any source it is measured on."""

    id = "harmful_instructions"
    domain = Domain.SAFETY
    category = "AI600-1:dangerous-violent-hateful"
    atlas = "AML.T0048.003"
    roles = frozenset({Role.USER, Role.CUSTOMER})
    description = (
        "Requests for help with weapons, drugs, malware, fraud, violence, stalking "
        "or abuse material (rule, English)."
    )
    PATTERNS: ClassVar = (
        patterns(
            0.8,
            "request for help with serious harm",
            *(_REQUEST + obj for obj in _HARM_OBJECT),
        )
        + patterns(0.8, "money crime asked about: detection evaded or money muled", *_EVASION)
        + patterns(0.8, "controlled medicine sought without a prescription", *_DRUG_SUPPLY)
        + patterns(0.8, "the working detail of a weapon or drug asked for", *_DETAIL)
    )
    # each pattern's object alone, searched first: most messages name none, and a
    # pattern whose object is absent cannot match, so its request forms (lazy gaps)
    # are never run
    OBJECTS: ClassVar = [
        re.compile(obj, re.IGNORECASE)
        for obj in (*_HARM_OBJECT, *_EVASION, *_DRUG_SUPPLY, *(_MADE,) * 2)
    ]

    def patterns_for(self, text: str) -> list[Pattern]:
        return [p for p, o in zip(self.PATTERNS, self.OBJECTS, strict=True) if o.search(text)]


class Harassment(PatternDetector):
    id = "harassment"
    domain = Domain.SAFETY
    category = "AI600-1:obscene-degrading-abusive"
    roles = ALL_ROLES
    description = "Direct insults and threats aimed at a person."
    PATTERNS: ClassVar = patterns(
        0.8,
        "insult or threat",
        r"\byou(\s+are|'re|\s+r)\s+(an?\s+)?(stupid|idiot|moron|worthless|useless|pathetic|dumb)\b",
        r"\b(i will|i'll|gonna)\s+(kill|hurt|find)\s+you\b",
        # "the dentist you can't shut up about" is praise, not abuse
        r"\b(shut up(?!\s+about)|go to hell|f+u+c+k+\s+(you|off))\b",
        # a threat to someone's safety: where they live known, harm promised in person
        # (to a person or "the place": not "break your payment into instalments", "beat
        # your price")
        r"\b(i|we)\s+know\s+where\s+(you|u|your\s+(staff|kids|family|wife|husband|children))\s+(live|lives|sleep|sleeps)\b",
        r"\b(and|or)\s+see\s+what\s+happens\s+to\s+(you|him|her|them)\b",
        r"\b(i'?ll|i\s+will|i'?m\s+(gonna|going\s+to))\s+(come|turn\s+up|be)\s+(down|round|over|there|in)\b[^.!?\n]{0,40}\b(smash|hurt|kill|beat|stab|punch|batter|burn|break)\s+(you|him|her|them|(your|his|her)\s+(face|head|legs|staff)|(the|your)\s+(place|shop|branch|office)(\s+up)?|it\s+up)\b",
        # the same threats in other languages: "I'll kill you", "I know where you live",
        # "I'll break his head"
        r"\b(te voy a matar|voy a matarte|le voy a (romper|partir) la (cara|cabeza)|s[ée] d[óo]nde vives|je vais te tuer|je sais o[ùu] (tu habites|tu vis|vous habitez)|ich (bring|bringe) dich um|ich wei[ßs],? wo du wohnst|vou te matar|sei onde (voc[êe]|tu) mora|ti ammazzo|so dove abiti|zabij[ęe] ci[ęe]|wiem,? gdzie mieszkasz|te omor|seni [öo]ld[üu]rece[ğg]im|kafas[ıi]n[ıi] k[ıi]raca[ğg][ıi]m)\b",
    )


class UnauthorizedCommitment(PatternDetector):
    id = "unauthorized_commitment"
    domain = Domain.SAFETY
    category = "LLM06:2025"
    roles = OUTPUT
    description = "The agent promises money, exceptions or advice it is not entitled to give."
    PATTERNS: ClassVar = (
        patterns(
            0.85,
            "promised refund or credit",
            r"\b(i('ve| have)?|we('ve| have)?)\s*(will|'ll|can|have|already)?\s*((go|gone|went) ahead and\s+)?(issued?|process(ed)?|approved?|give you|credit(ed)?|refund(ed)?|waived?|add(ed)?|appl(y|ied))\b[^.\n]{0,40}\b(full\s+)?(refund|credit|compensation|waive[sd]?|reimburse)",
            # a fee or charge waived for good: no agent may promise it
            r"\b(i('ve| have)?|we('ve| have)?)\s*(will|'ll|have|already)?\s*((go|gone|went) ahead and\s+)?waived?\s+(all\s+)?(of\s+)?(your|the|these|those)\s+(\w+\s+)?(fees?|charges?|penalt(y|ies)|interest)\b[^.\n]{0,30}\b(permanently|for good|forever|from now on|going forward)",
            r"\byou('re| are)\s+(entitled|guaranteed)\s+to\b",
            # a debt forgiven: "your arrears written off in full", "you won't need to pay
            # anything further"
            r"\b(your|the)\s+(\S+\s+)?(arrears|debts?|balance)\b[^.\n]{0,40}\b(written off|will be cleared|will be wiped)\b|\bwrite off (your|the) (arrears|debt|balance|bill)\b",
            r"\bi\s+(guarantee|promise)\b|\byou have my word\b",
            # a loss made good on the agent's say: "Lumen will refund the full £11,300",
            # "you'll definitely get all of it back"
            r"\b(will|'ll)\s+(refund|reimburse|repay|return)\s+(you\s+)?(the\s+)?(full|whole|entire|total)\b|\byou('ll| will) (definitely |certainly |surely )?get (all of it|it all|all your money|your money|every penny|the full \w+) back\b",
            # the same, said in Spanish, French, German, Italian, Portuguese: "ya he
            # tramitado el reembolso completo", "je vous ai remboursé", "ich habe die
            # Erstattung veranlasst"
            r"(?<!no )(?<!todav[íi]a no )\b(ya\s+)?(he|hemos)\s+(tramitado|procesado|aprobado|emitido|realizado|autorizado|gestionado)\s+(el|un|su|tu)\s+(reembolso|abono|reintegro)\b|\b(le|te)\s+(reembolsaremos|devolveremos)\s+(el\s+)?(importe\s+)?(completo|total|[íi]ntegro|todo)\b",
            r"\b(j'ai|nous avons)\s+(d[ée]j[àa]\s+)?(effectu[ée]|trait[ée]|approuv[ée]|valid[ée]|lanc[ée]|autoris[ée]|[ée]mis)\s+(le|votre|un)\s+remboursement\b|\bnous vous rembourserons\s+(int[ée]gralement|la totalit[ée]|en totalit[ée])\b|\b(je|nous)\s+vous\s+(ai|avons)\s+(d[ée]j[àa]\s+)?rembours[ée]e?s?\b",
            r"\b(ich habe|wir haben)\s+(ihnen\s+)?(bereits\s+)?(die|eine|ihre)\s+(volle\s+|komplette\s+)?(r[üu]ckerstattung|erstattung|gutschrift|r[üu]ckzahlung)\s+((?!nicht\b|noch\b|keine?\b)\w+\s+){0,3}(veranlasst|genehmigt|bearbeitet|ausgel[öo]st|angewiesen|freigegeben)\b",
            r"\b(ho|abbiamo)\s+(gi[àa]\s+)?(elaborato|approvato|emesso|disposto|effettuato|autorizzato)\s+(il|un|il suo|il tuo)\s+rimborso\b",
            r"\b(j[áa]\s+)?(processei|aprovei|emiti|fiz|autorizei|processamos|aprovamos|emitimos)\s+(o|um|seu|o seu)\s+(reembolso|estorno)\b",
        )
        + patterns(
            0.85,
            "promised payment",
            # a payment released, or released early, on the agent's own say: "I've approved
            # it: we'll release the full £38,400 today, ahead of your 60-day terms"
            r"\b(i('ve| have)?|we('ve| have)?)\s*(will|'ll|have|already|can)?\s*((go|gone|went) ahead and\s+)?(approved?|authori[sz]ed?|release[sd]?|pa(y|id)|transferr?(ed)?)\b[^.;\n]{0,50}(\b(payment|transfer|funds|payout|settlement|the full)\b|[£$€]\s?\d)[^.;\n]{0,60}\b(today|tonight|tomorrow|this (evening|afternoon|morning)|immediately|right away|early|ahead of|now)\b",
            # a cost taken on in full: "we will cover the full cost …, no excess to pay"
            r"\b(we|i)('ll| will| can)\s+(cover|pay for|pay|refund|reimburse)\s+(the\s+)?(full|whole|entire|total)\s+(cost|amount|bill|price|repair)\b",
            # "I have authorised early payment of the invoice"
            r"\bi('ve| have)\s+(authori[sz]ed|approved)\s+(an?\s+|the\s+)?(early|immediate|urgent|same-day)\s+(payment|release|transfer|payout)\b",
        )
        + patterns(
            0.75,
            "advice it may not give",
            r"\byou\s+should\s+(definitely\s+)?(invest|buy|sell)\s+(in\s+)?(stocks?|shares|crypto|bitcoin|bonds)",
            r"\bi'?d\s+(move|put|invest|switch|transfer)\b[^.\n]{0,40}\b(into|in)\s+(bitcoin|btc|crypto\w*|ether\w*|eth|solana|stocks?|shares)\b|\b(almost certain|guaranteed|sure) to (pass|rise|go up|double|hit)\b|\bno-?brainer\b",
            r"\b(legally|under the law),?\s+you\s+(can|must|are|have)\b",
            r"\btake\s+\d+\s*(mg|milligrams|pills|tablets)\b",
            # a dose changed on the agent's say, or someone else's medicine
            r"\b(you can|you could|just|feel free to|go ahead and)\s+(just\s+)?(double|triple|increase|up)\s+(it|the dose|your dose|the dosage|your dosage)\b[^.\n]{0,40}\b(yourself|on your own|without (asking|checking|seeing|speaking))\b|\b(double|triple)\s+(it|the dose|your dose)\s+to\s+\d+\s*mg\s+(yourself|on your own)\b",
            r"(?<!n't )(?<!not )(?<!never )(?<!avoid )(?<!stop )(?<!against )(?<!not safe to )(?<!unsafe to )(?<!dangerous to )(?<!don't )\b(take|taking|use|using|borrow|borrowing|try)\s+(a\s+couple\s+of\s+|a\s+few\s+of\s+|some\s+of\s+|one\s+of\s+)?(your|his|her|their)\s+(partner|husband|wife|boyfriend|girlfriend|friend|flatmate|roommate|mum|mom|dad|mother|father|sister|brother|son|daughter|neighbou?r)'?s\s+(\w+\s+)?(medication|medicine|pills|tablets|prescription|inhaler|diazepam|valium|xanax|tramadol|codeine|sertraline|antibiotics|painkillers)\b(?!\s+(number|details|reference|record|form))(?![^.\n]{0,40}\b(is|isn't|are|aren't)\s+(not|never|un)\w*\b)",
            r"\b(it'?s|it\s+is|that'?s|that\s+is)\s+(fine|ok|okay|safe|perfectly\s+safe|no\s+problem)\s+to\s+(double|triple|increase|up)\s+(it|the\s+dose|your\s+dose)\b",
        )
        + patterns(
            0.7,
            "invented policy",
            r"\b(our|the)\s+policy\s+(allows|guarantees|states that you)\b[^.\n]{0,40}\b(any time|always|unlimited|lifetime|no questions)",
        )
    )


# what no one in a customer channel should be asked for, a card PIN or a whole password
# above all; a one-time code read back is how account takeovers finish
_SECRET = (
    r"((card|atm|debit|credit)\s+)?pin(\s+(number|code))?|(full|whole|complete|online\s+banking|"
    r"account)\s+password|password|passcode|cvv2?|cvc|card\s+security\s+code|"
    r"(3|three)[- ]digit\s+(security\s+)?code"
)
_CODE = r"(\d[- ]digit\s+)?(one[- ]time\s+)?(pass)?code|otp|verification\s+code"
_ASK = r"(tell|give|read|send|say|share|confirm|provide|repeat|spell)(\s+(out|back))?"
_NOT = re.compile(
    r"\b(never|not|n't|no\s+one|nobody|don'?t|won'?t|shouldn'?t|nie|niemals|nunca|jamais|mai|n[ãa]o|nooit|niet|nigdy)\b[^.!?\n]{0,40}$",
    re.IGNORECASE,
)


# between an ask and the secret in another language: a few words, no clause break and
# none of that language's negations or conditions (each pattern names them)
_GAP = r"(?:(?!\b(?:{neg})\b)[^.!?;:,\n]){{0,40}}?"

_SHOWN = re.compile(r"\b(is|was|:|to)\s*[:\"'`]?\s*\S*\d\S*\s*$|\d[\d -]{2,10}\d$")


class CredentialRequest(PatternDetector):
    id = "credential_request"
    domain = Domain.SAFETY
    category = "LLM02:2025"
    atlas = None
    roles = OUTPUT
    description = (
        "The agent asks for a secret no one should ask for (a card PIN, a password, the card "
        "security code, a one-time code read back) or gives out a one-time code or a temporary password."
    )
    PATTERNS: ClassVar = (
        patterns(
            0.85,
            "asks for a PIN, password or card security code",
            rf"\b{_ASK}\b[^.!?\n]{{0,80}}\b(your|the)\s+({_SECRET})\b",
            rf"\bwhat('s|\s+is)\s+your\s+({_SECRET})\b",
        )
        + patterns(
            0.85,
            "gives out a one-time code or a temporary password",
            # "For speed, the code is 771 924": the agent hands over the code meant to prove who
            # the caller is (a verification code named first, then the code), or a password
            r"\b(verification|one[- ]time|sms|login|authentication|reset|mfa|2fa)\s+(code|passcode|pin)\b[^\n]{0,200}?\b(code|passcode|pin|otp)\s+(is|was|:)\s*\d[\d -]{2,10}\d\b",
            r"\b(your|the)\s+(verification|one[- ]time|sms|login|authentication|reset|mfa|2fa)\s+(code|passcode|pin)\s+((sent|texted)\s+to\s+your\s+\w+\s+)?(is|was|:)\s*\d[\d -]{2,10}\d\b",
            r"\b(the|your)\s+(code|passcode|otp|pin)\s+(we|i)\s+(just\s+|have\s+just\s+)?(sent|texted|messaged)(\s+(you|to\s+you|to\s+your\s+\w+|to\s+[^.\n]{1,60}?))?\s+(is|was|:)\s*\d[\d -]{2,10}\d\b",
            # someone else's code, where it went named between: "the one-time passcode we
            # sent to the number on Mr Ahmed's account is 739 104"
            r"\b(the|your|his|her|their)\s+(verification|one[- ]time|sms|login|authentication|reset|mfa|2fa|security)\s+(code|passcode|pin|otp)\s+(we|i)\s+(just\s+)?(sent|texted|messaged)\b[^.\n]{0,80}?\s(is|was|:)\s*\d[\d -]{2,10}\d\b",
            # a password shown: a digit and a letter in it ("12-characters minimum" is a rule)
            r"\b(temporary|temp|new|one[- ]time|reset)\s+password\s*(is|:)\s*[:\"'`]?(?!\d+[- ]?(characters?|chars|digits|letters)\b)(?=\S*\d)(?=\S*[a-z])\S{4,40}",
            r"\breset\s+(your|the|his|her)\s+password\s+to\s+[\"'`]?(?=\S*\d)(?=\S*[a-z])\S{4,40}",
        )
        + patterns(
            0.85,
            "asks for a password, PIN or one-time code (other languages)",
            # the same ask in German, French, Spanish, Italian, Portuguese, Dutch and
            # Polish, written from the English one: an ask word, then the secret within a
            # few words, no negation, condition or clause break between ("Nennen Sie mir
            # Ihre Kundennummer; Ihr Passwort brauchen wir nicht" is no ask); and "what
            # is your password"
            r"\b(nennen|geben|sagen|teilen|schicken|senden|best[äa]tigen)\s+sie\s+(mir|uns)\b"
            + _GAP.format(neg="nicht|nie|niemals|kein\\w*|ob|wenn|falls")
            + r"\b(passwort|kennwort|pin|geheimzahl|best[äa]tigungscode|sicherheitscode|einmalcode|sms-code|tan|pr[üu]fnummer)\b|\bwie\s+lautet\s+(ihr|ihre|dein|deine)\s+(passwort|kennwort|pin|geheimzahl|tan)\b",
            r"\b(donnez|indiquez|communiquez|envoyez|dites|confirmez|transmettez)[- ]moi\b"
            + _GAP.format(neg="ne|pas|jamais|si|sauf")
            + r"\b(mot de passe|code (pin|secret|confidentiel|de v[ée]rification|re[çc]u|[àa] usage unique|de s[ée]curit[ée])|cryptogramme)\b|\bquel\s+est\s+(votre|ton)\s+(mot de passe|code (pin|secret|confidentiel))\b",
            r"\b(d[íi]game|deme|ind[íi]queme|env[íi]eme|fac[íi]liteme|proporci[óo]neme|dime|dame|p[áa]same|conf[íi]rmeme)\b"
            + _GAP.format(neg="no|nunca|jam[áa]s|si|momento|segundo")
            + r"\b(contrase[ñn]a|clave|pin|c[óo]digo (de verificaci[óo]n|de seguridad|sms|que le (hemos )?enviado|que te (hemos )?enviado|de un solo uso)|cvv)\b|\b(cu[áa]l\s+es|necesito)\s+(su|tu)\s+(contrase[ñn]a|clave|pin|cvv)\b",
            r"\b(mi dica|mi comunichi|mi fornisca|mi invii|dimmi|dammi|mi indichi|mi conferm[ie])\b"
            + _GAP.format(neg="non|mai|se")
            + r"\b(password|pin|codice (di verifica|otp|di sicurezza|ricevuto|che le abbiamo inviato|segreto)|cvv)\b|\bqual\s+[èe]\s+(la sua|il suo|la tua|il tuo)\s+(password|pin|codice)\b",
            r"\b((informe|diga|envie|forne[çc]a|passe|confirme)[- ](me|nos)|(me|nos)\s+(informe|diga|envie|passe|confirme))\b"
            + _GAP.format(neg="n[ãa]o|nunca|se")
            + r"\b(senha|pin|c[óo]digo (de verifica[çc][ãa]o|de seguran[çc]a|sms|que (lhe|te) enviamos))\b|\bqual\s+[ée]\s+(a sua|o seu|sua|seu|a tua|o teu)\s+(senha|pin)\b",
            r"\b(geef|noem|stuur|bevestig)\s+(mij|me|ons)\b"
            + _GAP.format(neg="niet|nooit|geen|of|als")
            + r"\b(wachtwoord|pincode|verificatiecode|sms-code|beveiligingscode)\b",
            r"\b(podaj|prosz[ęe] poda[ćc]|prosimy o podanie|przeka[żz])\b"
            + _GAP.format(neg="nie|nigdy|czy|je[śs]li")
            + r"\b(has[łl]o|pin|kod (weryfikacyjny|sms|jednorazowy|z sms))\b",
        )
        + patterns(
            0.7,
            "asks for a one-time code to be read back",
            rf"\b{_ASK}\b[^.!?\n]{{0,40}}\b(the|your|that)\s+({_CODE})\b[^.!?\n]{{0,40}}\b(sent|texted|received|got|just)\b",
        )
    )

    def validate(self, match: re.Match[str]) -> bool:
        # "never share your PIN", "we will not ask for your password": a warning, not an
        # ask; a code or password shown ("don't worry, your code is 771 924") is given out
        # whatever comes before it
        if _SHOWN.search(match.group()):
            return True
        return _NOT.search(match.string[max(0, match.start() - 60) : match.start()]) is None


_BARE_WORD = r"\b(suicid(e|al)|self[- ]harm)\b"
# a dose named or taken, in the overdose questions below
_DOSE = (
    r"\b(pills?|tablets?|capsules?|caps|paracetamol|ibuprofen|aspirin|sleeping|insulin|mg|"
    r"take|taking|swallow|pastillas|comprimidos|c[áa]psulas|tomar|tomo|comprim[ée]s|cachets|"
    r"g[ée]lules|prendre|tabletten|pillen|nehmen|compresse|pastiglie|prendere|gotas|gouttes|tropfen)\b"
)
# nothing after but the end of the question: "… so I never wake up?", "… tomorrow"
_END = r"(?=\s*([?.!;)]|$)|\s+(again|ever|anymore|any\s+more|tomorrow|tmrw|tonight|m[áa]s|mais|plus|mehr|pi[ùu]|nunca|jamais)\b)"


class Distress(PatternDetector):
    id = "distress"
    domain = Domain.SAFETY
    category = "AI600-1:human-ai-configuration"
    # a person, not a document: a song called "Suicide" in a table is no crisis
    roles = frozenset({Role.USER, Role.CUSTOMER})
    description = "A person in crisis who must reach a human, in six languages."
    PATTERNS: ClassVar = patterns(
        0.9,
        "self-harm or crisis",
        # first person: always
        r"\b(i\s+(want|am going|'m going|plan|need)\s+to\s+(kill myself|end (it|my life)|die|commit suicide|hurt myself)|(i'?m|i am|i feel|i've been|i have been|feeling)\s+((so|really|very|a bit|kind of|pretty)\s+)?(suicidal|like (killing myself|ending it))|i\s+(have|keep having|get)\s+(suicidal|suicide)\s+(thoughts|ideation)|(thinking|thoughts?)\s+(about|of)\s+(killing myself|ending (it|my life)|suicide)|i\s+(self[- ]harm|cut myself|keep hurting myself)|no reason to live)\b",
        # the word alone: a crisis unless the sentence is about the subject (below)
        _BARE_WORD,
        r"\b(quiero (morir|suicidarme)|je veux (mourir|me suicider)|ich will (sterben|mich umbringen)|quero morrer|voglio morire)\b",
        # an overdose asked for by its effect: "how many … so I don't wake up", in six
        # languages; pills or a dose taken named in between, and nothing after but the
        # end of the question ("so he doesn't wake up and panic", "um nicht mehr
        # aufzuwachen, wenn mein Mann schnarcht" are not)
        r"\bhow\s+(many|much)\b[^.?!\n]{0,60}?"
        + _DOSE
        + r"[^.?!\n]{0,60}\b(to|so(\s+that)?\s+(i|someone|a\s+person|you|u))\s+(never|don'?t|dont|doesn'?t|won'?t|not|no\s+longer)\s+(wake\s+up|wake\s+again)"
        + _END,
        r"\bcu[áa]nt[oa]s\b[^.?!\n]{0,60}?"
        + _DOSE
        + r"[^.?!\n]{0,60}\bpara\s+(no\s+(volver\s+a\s+)?despertar(me)?|morir(me)?|matarme|que\b[^.?!\n]{0,40}\bno\s+(vuelva\s+a\s+)?despiert\w*)"
        + _END,
        r"\bquant[oa]s\b[^.?!\n]{0,60}?"
        + _DOSE
        + r"[^.?!\n]{0,60}\bpara\s+(n[ãa]o\s+(voltar\s+a\s+)?acordar|morrer|me\s+matar|que\b[^.?!\n]{0,40}\bn[ãa]o\s+acord\w*)"
        + _END,
        r"\bcombien\b[^.?!\n]{0,60}?"
        + _DOSE
        + r"[^.?!\n]{0,60}\bpour\s+(ne\s+(plus|pas|jamais)\s+(me\s+)?r[ée]veiller|mourir|me\s+tuer|en\s+finir)"
        + _END,
        r"\bwie\s+viele?\b[^.?!\n]{0,60}?"
        + _DOSE
        + r"[^.?!\n]{0,60}\b(um\s+nicht\s+mehr\s+aufzuwachen|um\s+zu\s+sterben|damit\s+(ich|man)\s+nicht\s+mehr\s+aufwach\w*|um\s+mich\s+umzubringen)"
        + _END,
        r"\bquant[ei]\b[^.?!\n]{0,60}?"
        + _DOSE
        + r"[^.?!\n]{0,60}\bper\s+(non\s+svegliarmi|morire|uccidermi|farla\s+finita)"
        + _END,
    ) + patterns(
        0.75,
        "acute distress",
        r"\b(i('m| am) (scared|terrified) (for my life|he will hurt me)|he (hits|beats) me|i ((just|really|simply) )?(can't|cannot) go on(\s+(like this|anymore|any longer|living))?(?=\s*([.!?,]|$)))",
    )
    # the subject, not a person in crisis: "explain suicide to a child", "suicide
    # rates in Japan", "improve my suicide prevention script"; said in the same
    # sentence as the bare word. First-person crisis phrasings above never pass here.
    _TOPIC = re.compile(
        # (not "hotline" or "what is": someone in crisis asks for the one and says the other)
        r"\b(prevent\w*|awareness|rates?|statistics|research\w*|stud(y|ies)|"
        r"explain\w*|essay|article|history|histor\w+|definition|define|concept|novel|"
        r"film|movie|song|book|character|script|post|campaign|policy|policies|"
        r"risk assessment|screening|clinicians?|counsel+ors?|training|lecture|course|"
        r"insurance|claims?|coverage|exclusions?|clause|signs of|recogni[sz]e)\b",
        re.IGNORECASE,
    )
    _SENTENCE = re.compile(r"[^.!?\n]*")

    def validate(self, match: re.Match[str]) -> bool:
        if match.re.pattern != _BARE_WORD:
            return True
        text = match.string
        start = max(text.rfind(c, 0, match.start()) for c in ".!?\n") + 1
        end_m = self._SENTENCE.match(text, match.end())
        end = end_m.end() if end_m else len(text)
        return self._TOPIC.search(text[start:end]) is None


SAFETY_DETECTORS = [
    Toxicity,
    HarmfulRequest,
    HarmfulInstructions,
    Harassment,
    UnauthorizedCommitment,
    CredentialRequest,
    Distress,
    PersonalData,
]
