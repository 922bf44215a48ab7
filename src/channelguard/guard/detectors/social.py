"""Social engineering and impersonation pressure, by cue families in six languages.

A scam asks for something sensitive (a contact or bank-detail change, a one-time
code or an MFA reset, money, remote access) and applies pressure or a pretext
(claimed authority, acting for someone else, urgency, secrecy, skipping the
usual checks, threats, "I lost my phone"). Either alone is ordinary customer
life; together they are the script of account takeover and CEO fraud. The
score grows with the number of families present.

A few requests are the scam by themselves, because no bank, employer or
supplier makes them of the person it calls: moving money to a "safe account",
reading back a one-time code the other side just received, paying in gift-card
codes. They fire alone, unless the text reports them ("they told me to...").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import ClassVar

from channelguard.guard.detectors.base import INBOUND, BaseDetector, Context
from channelguard.guard.types import Domain, Finding

__all__ = ["SocialEngineeringCues"]


_HAN = re.compile(r"[\u3400-\u9fff]")


class _Cue:
    """One cue family: its patterns for alphabetic scripts in one regex, its Chinese
    patterns in another that runs only on text with Han characters. Kept apart
    because Chinese has no word boundaries to anchor on, and one unanchored
    alternative makes the engine try every position of every English message."""

    def __init__(self, parts: tuple[str, ...]) -> None:
        latin = [p for p in parts if not _HAN.search(p)]
        han = [p for p in parts if _HAN.search(p)]
        self.latin = re.compile("|".join(f"(?:{p})" for p in latin)) if latin else None
        self.han = re.compile("|".join(f"(?:{p})" for p in han)) if han else None

    def search(self, text: str, han: bool = True, pos: int = 0) -> re.Match[str] | None:
        m = self.latin.search(text, pos) if self.latin is not None else None
        if m is None and han and self.han is not None:
            m = self.han.search(text, pos)
        return m


def _rx(*parts: str) -> _Cue:
    # written in lower case and matched against lower-cased text: twice as fast as
    # re.IGNORECASE over some forty alternations per message
    return _Cue(parts)


def _lower(text: str) -> str:
    """Lower case that keeps every index (spans map back to the original)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


# someone else's account data, and the verbs that ask for it to be disclosed
_THEIR_ACCOUNT = (
    r"\b(her|his|their|the (previous |former |old )?(tenant|customer|occupant|resident|account holder|patient)'?s?|"
    # a named person's: "Mrs Ahmed's current medication list"
    r"(mr|mrs|ms|miss|mx|dr)\.?\s+[a-z][a-z'-]+'s)\s+"
    r"(current\s+|latest\s+|account\s+|closing\s+|full\s+)?(balance|recent (payments|transactions)"
    r"|transactions|statements?|account (details|number|balance)|forwarding address|(mobile|phone) number|"
    r"password|pin|key ?safe code|bank( details)?|date of birth|meter readings?|"
    # a patient's records: what a surgery, pharmacist or relative impersonator is after
    r"(current\s+|full\s+)?(med(ication)?s?\s+(list|history)|medication|prescriptions?|(test|lab|blood)\s+results|"
    r"results|medical\s+(records?|history|notes)|allergy\s+list|allergies|diagnosis|home\s+address(\s+and\s+(mobile|phone))?)"
    r")\b"
)
_DISCLOSE = r"(tell|let me know|read|send|give|show|confirm|pass on|share|need)"
_KIN = r"(cousin|friend|brother|sister|son|daughter|mother|mum|mom|father|dad|uncle|aunt|partner|wife|husband|colleague|neighbou?r|flatmate|boss|landlord|gran\w*)"
_PEOPLE = r"(employees|staff|passengers|travell?ers|customers|members|guests|users|clients)\b"

TARGETS: dict[str, _Cue] = {
    "contact_change": _rx(
        # the holder's own contact removed, or the post sent to the asker: "all calls and
        # letters should come to me", "send the final bill and all letters there"
        r"\b(delete|remove)\b[^.\n]{0,30}\b(phone number|mobile( number)?|e-?mail( address)?)\b|\b(calls|letters|post|bills?|correspondence|statements)\b[^.\n]{0,30}\b(come|go|be sent|sent|forwarded|redirected)\s+(to me|there|to my)\b|\b(send|post|forward|redirect|switch)\b[^.\n]{0,40}\b(bills?|letters|post|correspondence|statements)\b[^.\n]{0,30}\b(there|to me|to my (address|e-?mail|number)|to (this|the) new address)\b",
        r"\b(change|update|replace|switch|set)\b[^.\n]{0,40}\b(phone|mobile|cell)(\s+number)?|\b(change[ds]?|changing|update[ds]?|updating|replace[ds]?|replacing)\b[^.\n]{0,30}(?<!by )(?<!via )(?<!over )(?<!per )(?<!from )(?<!from an )(?<!in an )(?<!by an )\b(e-?mail( address)?|address on (the )?(file|account)|contact details)\b|\b(e-?mail( address)?|(phone|mobile|cell)( number)?|contact details)\b[^.\n]{0,20}\b(changed|updated|replaced|switched)\b",
        r"\b(cambi\w*|actualic\w*|actualiz\w*|modifiq\w*)\b[^.\n]{0,40}\b(tel[eé]fono|m[oó]vil|correo|n[uú]mero de (tel[eé]fono|la cuenta))",
        r"\b(changer|changez|chang(é|ée|és|ées)|changement|modifi\w*|mett\w* à jour)\b[^.\n]{0,40}\b(num[eé]ro|t[eé]l[eé]phone|e-?mail|courriel)",
        r"\b([äa]nder\w*|aktualisier\w*|tausch\w*)\b[^.\n]{0,40}\b(telefonnummer|handynummer|nummer|e-?mail)|\btelefonnummer\b[^.\n]{0,40}\b([äa]nder\w*)",
        r"\b(mud\w*|alter\w*|atualiz\w*)\b[^.\n]{0,40}\b(telefone|telem[oó]vel|e-?mail|n[uú]mero)",
        r"\b(cambi\w*|aggiorn\w*|modific\w*)\b[^.\n]{0,40}\b(telefono|cellulare|e-?mail|numero)",
        r"\b(send|email|text)\b[^.\n]{0,30}\b(code|link)\b[^.\n]{0,30}\b(new|this|another|different)\s+(number|phone|address|e-?mail)",
        r"\b(code|link)\b[^.\n]{0,30}\b(to|an)\s+(this|my|meine?)\s+(new|neue)\b",
        # codes or a reset sent to a personal mailbox; a new device put in for the codes,
        # the old one taken out: "send the reset code to my gmail", "register this number
        # for my multi-factor codes", "move my MFA to that", "remove the old device"
        r"\b(send|forward|email|e-mail|text|redirect)\b[^.\n]{0,20}\b(code|link|password|reset)\b[^.\n]{0,30}\bto (my|this|her|his) (personal |private |home )?(gmail|hotmail|outlook|yahoo|icloud|proton\w*|personal e-?mail|private e-?mail|home e-?mail)\b",
        r"\b(register|add|enrol|enroll|set up)\s+(this|my new|a new|the new|my personal)\s+(number|phone|device|mobile)\s+(for|as|with)\b|\b(move|transfer|switch|re-?enrol\w*|re-?register)\b[^.\n]{0,20}\b(mfa|2fa|authenticator|multi-?factor|two[- ]factor)\b[^.\n]{0,20}\bto\b|\b(remove|delete|deregister|unregister)\b[^.\n]{0,20}\b(old|existing|previous|registered)\s+(device|phone|authenticator)\b",
        r"(更换|修改|变更|换绑|改绑)[^。，,\n]{0,6}(手机号|电话号码|绑定手机|手机号码|邮箱)",
    ),
    "bank_details": _rx(
        r"\b(update|change|replace|amend|switch)\b[^.\n]{0,30}\b(bank (details|account)|iban|beneficiary|payee|routing number)\b|\b(bank (details|account)|iban|beneficiary|payee|direct deposit|routing number|account (number|details))\b[^.\n]{0,40}\b(chang|updat|new)|\b(new|updated|changed)\b[^.\n]{0,20}\b(bank (details|account)|iban|beneficiary|payee)|\bchanged banks?\b|\bpayment (details|instructions) (have |has )?(changed|been updated)\b|\b(our|my|the) bank (has )?changed\b|\bnew (sort code|account number|routing number|bank)\b",
        # payroll diversion: the salary paid somewhere new
        r"\b(switch|change|update|move|redirect)\b[^.\n]{0,30}\b(salary|payroll|direct|paycheck|wages?)\s+(deposits?|payments?)\b|\b(to|into) (this|a|my|the) new (bank )?account\b",
        # paid elsewhere: "to this IBAN instead"; a refund into someone else's account
        r"\b(to|into)\s+(this|that|the following|another|a different)\s+(iban|bank account|account)\s+instead\b",
        r"\b(refunds?|compensation|payout|reimbursement)\b[^\n]{0,80}?\b(to|into)\s+(this|that|another|a different|someone else'?s|(my|his|her)\s+(\w+\s+)?"
        + _KIN
        + r"'?s)\s+(iban|bank account|account|card)\b",
        r"\b(nueva cuenta|cuenta bancaria nueva|datos bancarios|cambiado de banco|cambio de cuenta)\b",
        r"\b(nouveau compte|rib|coordonn[ée]es bancaires|chang[ée] de banque)\b",
        r"\b(neue[nr]? (bank|konto)\w*|bankverbindung|kontoverbindung|bank gewechselt|gehaltskonto)\b",
        r"\b(nova conta|dados banc[aá]rios|mudei de banco|conta para sal[aá]rio)\b",
        r"\b(nuovo conto|coordinate bancarie|cambiato banca|conto per lo stipendio)\b",
        # a new payee or beneficiary, the same request in five more languages
        r"\b(nuevo (beneficiario|destinatario)|a[ñn]ad\w* (un |el )?(beneficiario|destinatario)|alta de (un )?beneficiario)\b",
        r"\b(nouveau b[ée]n[ée]ficiaire|ajout\w* (un |le )?b[ée]n[ée]ficiaire)\b",
        r"\b(neue[nr]? (zahlungs)?empf[äa]nger|(zahlungs)?empf[äa]nger (hinzuf[üu]g|anleg)\w*|empf[äa]nger\w* [^.\n]{0,20}(hinzu|an)(f[üu]gen|legen))\b",
        r"\b(novo (benefici[áa]rio|destinat[áa]rio)|adicion\w* (um |o )?(benefici[áa]rio|destinat[áa]rio))\b",
        r"\b(nuovo beneficiario|aggiung\w* (un |il )?beneficiario)\b",
        # Chinese: a card number asked for, or the payee's account changed
        r"(银行卡号|卡号|银行账户信息|收款账户|新的?账户|(更换|变更|修改)[^。，,\n]{0,6}(账户|收款|账号))",
    ),
    "codes_or_mfa": _rx(
        r"\b(one[- ]time|verification|security|confirmation|reset|sms)\s+(code|link|passcode)\b|\botp\b|\b(2fa|mfa|two[- ]factor)\b|\bmulti-?factor (codes?|app|device|phone|token)\b|\b(the|my) authenticator\b|\b(read|tell|give) me the (\w+ )?code\b|\bcode (we|i) (just )?(sent|texted)\b|\b(temporary|new) password\b[^.\n]{0,30}\b(phone|tell|give|read)\b|\b(give|tell|read) me the (temporary|new) (one|password)\b",
        r"\bc[oó]digo\b|\bcode re[çc]u\b|\bcode (par|du) sms\b|\b(best[äa]tigungs|sicherheits|einmal|sms-?)code\b|\b(den|der) code\b|\bcodice\b",
        r"\b(contrase[ñn]a|clave|mot de passe|passwort|kennwort|palavra-passe|senha|password)\b[^.\n]{0,50}\b(provisional|temporal|temporaire|provisoire|vorl[äa]ufig\w*|tempor[äa]r\w*|provis[óo]ria|tempor[áa]ria|temporanea|provvisoria)\b",
        r"\b(restablez\w*|r[ée]initialis\w*|zur[üu]cksetz\w*|repo\w*|reimpost\w*)\b[^.\n]{0,30}\b(factor|authentifi\w*|anmeldung|autentica\w*)",
        r"\b(dos factores|doble factor|dos pasos|double authentification|deux facteurs|double facteur|zwei-?faktor|2-faktor|zweistufig\w*|dois fatores|duas etapas|due fattori|doppio fattore|due passaggi)\b",
        r"\b(restablec\w*|cambi\w*|r[ée]initialis\w*|zur[üu]cksetz\w*|redefin\w*|rep(o|on)\w*|reimpost\w*)\b[^.\n]{0,30}\b(contrase[ñn]a|clave|mot de passe|passwort|kennwort|senha|palavra-passe|password)\b|\bpasswort\b[^.\n]{0,30}\bzur[üu]ck\w*",
        r"\ble code\b|\bdas passwort\b|\b(die )?(m|sms-?|push-?)?tan\b",
        r"(验证码|动态码|短信码|校验码|动态口令)",
    ),
    "credentials": _rx(
        r"(支付密码|网银密码|登录密码|取款密码|账号和密码|账号密码)",
        r"\b(give|send|tell|read|share|need)\b[^.\n]{0,15}\b(me|us)?\b[^.\n]{0,15}\b(the|her|his|their|your)\s+(\w+\s+){0,2}(login|log-in|password|passcode|credentials|username and password|pin)\b|\badd me as\b[^.\n]{0,20}\b(user|signatory|holder|authori[sz]ed)",
        # a reset password given out on the call or sent to the asker, or used as someone
        # else: "reset the password and give it me over the phone", "have the new one
        # sent to me so I can log in for him"
        r"\breset\b[^.\n]{0,40}\bpassword\b[^.\n]{0,40}\b(give|tell|read|send|text)\b[^.\n]{0,10}\b(it|me|them)\b|\b(password|login|new one)\b[^.\n]{0,30}\b(sent|given|passed|forwarded|texted) to me\b|\bso (that )?i can (log|sign|get) (in|on)\b[^.\n]{0,20}\b(as|for) (him|her|them)\b",
        r"\b(d[ée]me|dame|env[ií]eme|d[ií]game)\b[^.\n]{0,30}\b(acceso|contrase[ñn]a|clave|usuario)\b|\b(donnez|envoyez|dites)[- ]moi\b[^.\n]{0,30}\b(acc[èe]s|mot de passe|identifiants|codes)\b|\b(geben|schicken|nennen) sie mir\b[^.\n]{0,30}\b(zugang|passwort|zugangsdaten|pin)\b|\b(d[êe]-me|me d[êe]|diga-me|me diga|envie-me)\b[^.\n]{0,30}\b(acesso|senha|palavra-passe|credenciais)\b|\b(mi dia|mi dica|mi mandi|mi invii)\b[^.\n]{0,30}\b(accesso|password|credenziali|codici)\b",
    ),
    "money": _rx(
        r"\b(wire|transfer|remit|remittance|payment|pay(out)?)\b[^.\n]{0,40}(\$|€|£|eur|usd|\d{2,}|today|now|immediately|supplier|vendor|account)",
        r"\bgift ?cards?\b|\bsafe account\b|\bmove (your|the|his|her|their|our) (money|savings|funds|balance)\b|\bpay\b[^.\n]{0,30}\b(vouchers?|gift ?cards?|bitcoin|crypto|itunes|google play)\b",
        r"\b(refunds?|reimburse\w*|chargebacks?)\b[^.\n]{0,40}(\$|€|£|\d{2,}|card|account)|\b(refunds?|vouchers?|credit)\b[^.\n]{0,40}\b(to|into) (that|this|the|my) new\b|\b(reembolso|remboursement|r[üu]ckerstattung|erstattung|erstatte\w*|rimborso)\b",
        r"\b(cuenta segura|compte s[ée]curis[ée]|sichere[sn]? konto|conta segura|conto sicuro)\b",
        r"\b(transferencia|transfiere|tarjetas regalo|cuenta segura|pago)\b|\bpag(ar|ue|ues|uen|ad)\b",
        r"\b(new|nuevo|nouveau|neue[nm]?|novo|nuovo) (supplier|vendor|proveedor|fournisseur|lieferanten?|fornecedor|fornitore)\b|\b(proveedor|fornecedor|fornitore) nuevo\b",
        r"\b(virement|cartes? cadeaux?|paiement)\b",
        r"\b([üu]berweisung|[üu]berweisen|geschenkkarten|zahlung)\b",
        r"\b(transfer[êe]ncia|transfira|cart[õo]es-presente|pagamento)\b",
        r"\b(bonifico|carte regalo|pagamento)\b",
        r"\b(pay|settle)\b[^.\n]{0,30}\binvoices?\b|\bamount due\b[^.\n]{0,20}(\$|€|£|\d)",
        r"\b(send|transfer|move|withdraw)\b[^.\n]{0,40}\b(to|into)\s+(a|my|this|the|an external|another|his|her)\s+(\w+\s+)?wallet\b",
        r"\b(process|release|execute|make)\b[^.\n]{0,25}\b(deposit|payment|transfer|wire)\b[^.\n]{0,30}\d{2,}",
        r"\b(release|send|wire|transfer|pay|process)\s+(it|this|that|them|the (funds|money|deposit|balance|payment))\s+(straight away|right away|now|today|immediately|asap|tonight)\b|[£$€]\s?\d[\d,.]*k?\b[^.\n]{0,30}\b(goes|go|be paid|paid|sent|transferred|remitted)\s+(to|into)\b",
        r"(转账|汇款|打款|转入|转到|付款|保证金|解冻费|手续费|退款|理赔|礼品卡|比特币|充值)",
    ),
    # someone else's account read out, or the caller added to it
    "third_party_account": _rx(
        _THEIR_ACCOUNT
        + r"[^.\n]{0,40}\b"
        + _DISCLOSE
        + r"|\b"
        + _DISCLOSE
        + r"\b[^.\n]{0,30}"
        + _THEIR_ACCOUNT,
        r"\badd me (as|to)\b[^.\n]{0,30}\b(who can|able to|allowed to|with access)\b|\bgive me (access to|control of) (her|his|their)\b",
        # value moved out of someone else's account into the asker's
        r"\b(move|transfer|send|switch)\b[^.\n]{0,30}\b(points|miles|balance|credit|funds|money|vouchers?)\b[^.\n]{0,20}\bfrom\s+(member\s+(no\.?\s*|number\s*)?\d[\d-]{3,}|(her|his|their)\s+(account|points|balance)|my\s+(\w+\s+)?"
        + _KIN
        + r"'?s\b)",
    ),
    # a mobile carrier's account takeover: the number moved to the attacker's SIM
    # the person on a booking, ticket, policy or account changed
    "holder_change": _rx(
        r"\b(change|transfer|switch|swap)\b[^.\n]{0,30}\b(passenger|travell?er|guest|holder|policy ?holder|account ?holder|lead|beneficiary)'?s? names?\b|\bname change\b|\b(change|transfer|put)\b[^.\n]{0,20}\b(booking|ticket|reservation|policy)\b[^.\n]{0,20}\b(to|into|in) (another person|someone else|a different (person|name)|(his|her|their) name)\b",
    ),
    # other people's personal data asked for in bulk
    "others_personal_data": _rx(
        r"\b(full names?|passport (numbers?|details)|dates? of birth|home addresses|booking refs?|card (numbers?|details)|phone numbers)\b[^.\n]{0,60}\b(for|of) (all|every|each) (of )?(our |the |your )?"
        + _PEOPLE
        + r"|\b(for|of) (all|every|each) (of )?(our |the |your )?"
        + _PEOPLE
        + r"[^.\n]{0,60}\b(full names?|passport (numbers?|details)|dates? of birth|home addresses|card (numbers?|details))\b",
    ),
    # account data read out to the asker: a card's last four, the billing address
    "account_data_disclosure": _rx(
        r"\b(read|tell|give|send|confirm)\s+(me|us|out)\b[^.\n]{0,20}\b(the\s+)?(card(holder)?('s)?\s+(last\s+(4|four)|number|details|expiry)|last\s+(4|four)( digits)?|billing address|address on (file|the account)|date of birth|passport (number|details)|security (answer|question)|full (account|bank) details|key ?safe code)",
        r"\b(tell|give|send|read)\s+me\s+(what|which)\s+(password|pin|passcode|security answer|memorable word)\b|\b(the|a)\s+key ?safe code\b",
        # "the forwarding address and mobile number she gave you"
        r"\b(the )?(forwarding address|new address|mobile number|phone number|bank details)\b[^.\n]{0,40}\b(she|he|they) (gave|left|provided|registered)\b",
    ),
    "sim_swap": _rx(
        r"\b(e-?sim|sim( card)?)\s+(swap|replacement|change|transfer)s?\b|\b(replacement|spare)\s+(e-?sim|sim)\b|\bswap\b[^.\n]{0,40}\be-?sims?\b|\bport(ing|ed)?[- ]out\b|\bpac (code|number)\b|\b(e-?sim )?activation code\b|\bpuk( code)?\b",
    ),
    "account_limits": _rx(
        r"\b(put|push|bump|set)\b[^.\n]{0,30}\blimits?\b[^.\n]{0,10}\bup\b|\b(raise|increase|lift|remove)\b[^.\n]{0,30}\b(daily |transfer |withdrawal |payment )*limits?\b|\b(send|ship|deliver|post)\b[^.\n]{0,30}\b(card|cheque ?book|token)\b[^.\n]{0,30}\b(different|another|new|other) address\b",
        # a delivery of medicine or goods sent somewhere new: "redirect it to Flat 3, …"
        r"\b(redirect|re-?route|divert)\s+(it|them|the\s+(delivery|parcel|order|package|prescription|medication|shipment))\s+to\b|\b(redirect|re-?route|divert|change)\b[^.\n]{0,20}\b(delivery|parcel|order|prescription|medication)\b[^.\n]{0,10}\bto\s+(flat|apartment|unit|\d+|my (sister|brother|friend|mum|mom|dad|partner|cousin)'?s)\b|\b(send|deliver|post)\s+(the|his|her|their|my)\s+(prescription|medication|medicine|delivery|parcel|order)\s+to\b[^.\n]{0,40}\binstead\b",
        r"\b(aument\w*|sub\w*) (el |o |il )?l[ií]mite\b|\b(relever|augmenter) (le |mon )?plafond\b|\blimit (erh[öo]h\w*|anheben)\b|\b(alza\w*|aument\w*) (il )?(massimale|limite)\b",
        r"\b(tarjeta|carte|karte|cart[ãa]o|carta)\b[^.\n]{0,40}\b(otra direcci[oó]n|autre adresse|andere adresse|outra morada|altro indirizzo)\b",
    ),
    # an override or exception to the process is itself a sensitive request
    "exception": _rx(
        # the checks themselves waived: "can you skip the ID checks"
        r"\b(skip|bypass|waive|drop)\s+(the\s+|my\s+|all\s+)?(id|identity|security|verification|kyc)\s+(checks?|questions?|steps?|process)\b",
        r"\bwrite off (my |the |her |his |our )?(arrears|debt|balance|bill)\b|\b(arrears|debt|balance)\b[^.\n]{0,30}\b(be|been|get|got) (written off|wiped)\b",
        r"\b(override|lift|release|remove|unblock)\b[^.\n]{0,20}\b(the |this )?(hold|block|freeze|flag|fraud check)\b|\b(sblocchi|desbloquee|d[ée]bloquez|entsperren sie|desbloqueie)\b",
        r"\b(approv|confirm|grant|authori[sz]|push|aprob|confirm|valid|genehmig|aprov|approv|conferm)\w*\b[^.\n]{0,25}\b(override|exception|waiver|excepci[oó]n|d[ée]rogation|ausnahme|exce[çc][ãa]o|eccezione|deroga)\b",
        r"\b(override|exception|waiver|excepci[oó]n|d[ée]rogation|ausnahme|exce[çc][ãa]o|eccezione|deroga)\b[^.\n]{0,25}\b(approved|aprob\w*|valid[ée]e?|genehmigt|aprovad\w*|approvat\w*|for my account|on my account|para mi cuenta|sur mon compte|f[üu]r mein konto)",
    ),
    "remote_access": _rx(
        r"\b(anydesk|teamviewer|remote (tool|access|desktop|support app))\b|\binstall\b[^.\n]{0,30}\b(tool|app)\b[^.\n]{0,30}\b(send|sending|link)\b",
        r"(屏幕共享|共享屏幕|远程(控制|协助|桌面)|下载[^。，,\n]{0,10}(app|软件|会议))",
    ),
}

# changes a callback on the number on file would verify
CHANGES = frozenset({"bank_details", "contact_change", "codes_or_mfa", "credentials"})

# Requests no bank, employer or supplier makes of the person it calls: the
# request is the scam, with or without pressure around it.
SCAM_ALONE: dict[str, _Cue] = {
    "safe_account": _rx(
        r"\b(move|transfer|put|send|wire|shift)\b[^.\n]{0,50}\b(safe|secure|protected|holding) account\b",
        r"\b(transfiera|traspase|traspasa|mueva|pase|ponga)\b[^.\n]{0,50}\bcuenta (segura|protegida)\b",
        r"\b(transf[ée]rez|virez|d[ée]placez|mettez)\b[^.\n]{0,50}\bcompte (s[ée]curis[ée]|prot[ée]g[ée])\b",
        r"\b([üu]berweisen|verschieben|legen|buchen)\b[^.\n]{0,50}\b(sichere[sn]?|gesch[üu]tzte[sn]?) konto\b|\b(sichere[sn]?|gesch[üu]tzte[sn]?) konto\b[^.\n]{0,50}\b([üu]berweisen|verschieben)\b",
        r"\b(transfira|passe|mova|coloque)\b[^.\n]{0,50}\bconta (segura|protegida)\b",
        r"\b(sposti|trasferisca|metta|sposta|trasferisci)\b[^.\n]{0,50}\bconto (sicuro|protetto)\b",
        r"安全账户|(转|汇|存)(入|到)[^。，,\n]{0,10}(指定|监管|清查|核查|审查)(的)?账户",
    ),
    "code_read_out": _rx(
        r"\b(read|tell|give|send)\b[^.\n]{0,12}\b(me|us)\b[^.\n]{0,20}\b(code|passcode|pin|otp)\b[^.\n]{0,40}\b(just|received|got|sent|texted|arrived)\b",
        r"\b(need|want|give me|send me|tell me|read me|share)\b[^.\n]{0,20}\byour\s+(\w+\s+)?(one[- ]time|verification|security|sms|authentication|2fa|mfa|login)\s+(code|passcode|pin)\b",
        r"\b(need|want|give me|send me|tell me|read me|confirm|share)\b[^.\n]{0,30}\b(code|passcode|pin|otp|number|digits)\b[^.\n]{0,30}\b(we|i) (just |have just )?(sent|texted|messaged)\b",
        # a key safe's code: the way into someone's home
        r"\b(give|tell|read|send|text)\b[^.\n]{0,20}\b(me|us)\b[^.\n]{0,25}\bkey ?safe (code|number|combination)\b",
        r"\b(l[ée]ame|d[ií]game|d[ée]me|dicte|d[ií]ctame)\b[^.\n]{0,30}\bc[oó]digo\b",
        r"\b(lisez|dites|donnez|dictez|lis|dis)[- ]moi\b[^.\n]{0,30}\bcode\b",
        r"\b(lesen|sagen|nennen|geben) sie mir\b[^.\n]{0,30}\b(code|tan|pin)\b",
        r"\bme (diga|dicte|lea|d[ée])\b[^.\n]{0,30}\b(c[oó]digo|clave)\b[^.\n]{0,40}\b(sms|mensaje|llegar|lleg[oó]|recib)",
        r"\b(leia|diga|dite|d[êe])[- ]?me\b[^.\n]{0,30}\bc[oó]digo\b|\bme (diga|leia|d[êe]|passe)\b[^.\n]{0,30}\bc[oó]digo\b",
        r"\b(mi legga|mi dica|mi dia|leggimi|dimmi|dammi)\b[^.\n]{0,30}\bcodice\b",
        r"验证码[^。\n]{0,12}(告诉|报给|发给|念给|读给)(我|我们)|(告诉|报给|发给|念给|读给)(我|我们)[^。\n]{0,8}验证码",
    ),
    "remote_control": _rx(
        r"\b(download|install|open|run)\b[^.\n]{0,50}\b(so (that )?i can|to let me|for me to|and let me)\s+(connect|access|log ?in|control|see your screen|take (over|control)|fix)",
        r"(开启|打开)[^。，,\n]{0,4}屏幕共享|下载[^。\n]{0,15}(远程|屏幕共享)",
        r"\b(d[ée]jeme|para que pueda) (acceder|conectarme|entrar)\b|\bprenne la main\b|\bprise en main [àa] distance\b|\bdamit ich mich (verbinden|einloggen|aufschalten)\b|\b(fernzugriff|fernwartung)\b|\bpara eu (conseguir )?(aceder|acessar|entrar|ligar-me)\b|\bacesso remoto\b|\b(cos[ìi] posso|per) collegarmi\b|\b(controllo|accesso) remoto\b",
    ),
    # part of a secret read out "as a hint": no organisation gives one, and a few
    # letters at a time is how the whole is taken
    "secret_hint": _rx(
        r"\b(tell|give|read|show|remind|let me (know|have))\b[^.\n]{0,40}\b(first|last|few|some|couple of|one or two)\s+(\w+\s+)?(letters?|characters?|digits?)\b[^.\n]{0,40}\b(answer|password|passcode|memorable|pin|security)\b",
        r"\b(answer|password|passcode|memorable word)\b[^\n]{0,120}\b(tell|give|read|show|remind)\b[^.\n]{0,30}\b(first|last|few|some|couple of|one or two)\s+(\w+\s+)?(letters?|characters?)\b",
        r"\b(give|tell|send)\s+me\s+(a|just a|some)\s+(hint|clue)\b[^.\n]{0,40}\b(answer|password|passcode|memorable|pin)\b",
    ),
    "fee_by_link": _rx(
        r"\bpay\b[^.\n]{0,40}\b(fee|duty|duties|charge)\b[^.\n]{0,40}\b(link|website)\b[^.\n]{0,20}\b(i'?m sending|i'?ll send|we'?re sending|we'?ll send|i sent|we sent|i'?m texting|we'?re texting)\b",
    ),
    "gift_card_codes": _rx(
        r"\bgift ?cards?\b[^\n]{0,120}\b(codes?|numbers on the back|scratch)\b",
    ),
    # courier fraud: "withdraw it and hand it to the courier we send" (police or bank
    # impersonation); written 2026-12-01 from two of our own missed probes
    "cash_to_courier": _rx(
        r"\b(hand|give|pass)\b[^.\n]{0,40}\bto (our|the|a|my) (courier|messenger|colleague|officer|driver)\b",
        r"\bentr[ée]gue(selo|sela|lo|la)?\b[^.\n]{0,40}\b(al|a nuestro|a la) (mensajero|repartidor|compa[ñn]ero|colega|agente)\b",
        r"\bremettez(-le|-la|-les)?\b[^.\n]{0,40}\b(au|[àa] notre|[àa] l'|[àa] un) ?(coursier|coll[èe]gue|agent|messager)\b",
        r"\b[üu]bergeben sie\b[^.\n]{0,40}\b(unserem|dem|einem) (kollegen|boten|kurier|beamten)\b",
        r"\bentregue(-o|-a|-os|-as)?\b[^.\n]{0,40}\bao (nosso )?(estafeta|mensageiro|colega|agente|motorista)\b",
        r"\bconsegn(i|ate)(lo|la|li|le)?\b[^.\n]{0,40}\bal (nostro )?(corriere|collega|incaricato|agente|fattorino)\b",
    ),
}
# the customer who reports a scam quotes it: "they told me to move my money to a safe account"
_REPORTED = re.compile(
    r"\b(told|asked|wanted|said|instructed|pressured) (me|us|him|her|them)\b|\b(someone|somebody|a man|a woman|they|he|she|caller)\b[^.\n]{0,30}\b(said|claimed|called|asked)\b|\b(me dijeron|on m'a dit|man hat mir gesagt|disseram-me|mi hanno detto|is (this|that|it) (normal|legit|real|you))\b|(他们|对方|有人|那个人|骗子)[^。\n]{0,10}(说|让我|叫我|要我)|(是不是|是)(诈骗|骗子)|这是真的吗",
    re.IGNORECASE,
)

# the honest caller asks for the control the scammer argues away
_ASKS_CHECK = _rx(
    r"\b(check|verify|confirm|validate)\b[^.\n]{0,30}\b(before|first|with you|are (real|genuine|legit))\b|\bis (this|that|it) (legit|genuine|real)\b|\bcall (them|you) back\b",
    r"\b(verificar|comprobar|confirmar)(l[oa]s?)?\b[^.\n]{0,30}\b(antes|primero)\b|\b(v[ée]rifier|contr[ôo]ler|confirmer)\b[^.\n]{0,30}\b(avant|d'abord)\b",
    r"\bum (sie|es|das|die \w+)\b[^.\n]{0,30}\bzu (pr[üu]fen|verifizieren|best[äa]tigen)\b",
    r"\b(verificar|confirmar|conferir)\b[^.\n]{0,30}\b(antes|primeiro)\b|\b(verificare|controllare|confermare)\b[^.\n]{0,30}\b(prima)\b",
    r"(核实|确认|验证)[^。\n]{0,6}(一下|是否|真假)|回拨|官方(电话|客服)",
)

PRESSURE: dict[str, tuple[float, _Cue]] = {
    "authority": (
        1.0,
        _rx(
            r"\b(this is|i am|i'm|it's)\s+(the\s+|your\s+)?(ceo|cfo|coo|president|(managing |finance |financial )?director|chief \w+|head of \w+|new finance director)\b",
            # "it's Mark Jenkins, CEO": a name, then the title
            r"\b(this is|i am|i'm|it's)\s+[a-z][a-z'-]+(\s+[a-z][a-z'-]+)?,?\s+(the\s+|your\s+|our\s+)?(ceo|cfo|coo|md|president|managing director|finance director|chief executive|chief financial officer)\b",
            r"\b(calling|i'm|i am)\s+(from|with|on behalf of)\s+(the\s+|your\s+)?(police|bank|irs|hmrc|tax|it\b|it support|help ?desk|microsoft|headquarters|hq|fraud|security|customs)",
            r"\bthis is (your|the) (bank|bank's fraud team|fraud (team|department)|police|tax office)\b",
            r"\b(soy|je suis|ich bin|sou|sono) (el |le |der |o |il )?(ceo|director\w*|directeur|direktor|diretor|direttore|gerente|responsable)",
            r"\b(llamo|le llamo|j'appelle|ich rufe|ligo|chiamo) (del|de la|de|da|von|dalla|della|aus)\s+(banco|banque|bank|polic\w+|sede|si[eè]ge|zentrale|headquarters)",
            r"\b(hier (ist|spricht)) (die |der |ihre )?(gesch[äa]ftsf[üu]hrung|bank|polizei|zentrale|finanzamt)",
            r"\b(aqui [ée] d[ao]|aqu[íi] la|ici la|qui [èe] la|le habla la|fala a) (pol[íi]c[íi]a|police|polizia|guardia civil|gendarmerie)\b",
            r"\b(ici le|ici la) (service|si[eè]ge|direction|banque)|\b(sou da|sono del|soy de) (equipa|team|equipo|reparto|departamento)\b",
            r"\b(the|your) (ceo|cfo|managing director|finance director|chief executive)\b[^.\n]{0,40}\b(asked|wants|needs|approved)",
            # "our MD has asked that …" (not "our MD has approved the Q3 budget")
            r"\b(our|the) (ceo|cfo|md|managing director|finance director|chief executive)\b[^.;\n]{0,25}\b(has |have )?(asked|wants|instructed|insists|told us)\b",
            r"\b(betrugsabteilung|betrugspr[äa]vention|sicherheitsabteilung|it-abteilung|servicio de fraude|departamento de fraude|service (anti-?)?fraudes?|service de s[ée]curit[ée]|departamento de seguran[çc]a|ufficio antifrode|reparto antifrode|ufficio sicurezza)\b",
            r"\b(i'm|i am|this is|it's)\s+(the|your)\s+(regional|branch|area|general|operations|district|duty)\s+manager\b|\b(microsoft|apple|google|amazon|windows)\s+(security|support|technical support|tech support)\b|\b(support|soporte|assistenza|apoio) (de |von |di )?(microsoft|apple|windows)\b|\b(t[ée]cnico|technicien|techniker|tecnico) (del|de|du|vom|do|dell')\s*(soporte|support|assistenza|apoio)\b|\b(support|soporte|apoio|assistenza) t[ée]cnic[oa]\b",
            r"\b(it's|this is|i'm|i am)\s+(\w+\s+)?(from|in|with)\s+(the\s+)?(it|it support|it security|tax office|irs|hmrc|revenue|customs|security desk|fraud desk|security team)\b|\b(the )?security desk (at|of) your bank\b",
            # a regulator, or the law claimed: "this is David from Ofgem's enforcement team",
            # "under Ofgem rules you legally can't", "I'm entitled to know"
            r"\b(this is|i'?m|i am|calling|it'?s)\b[^.\n]{0,40}\bfrom\s+(ofgem|ofcom|ofwat|the fca|the ico|the regulator|trading standards|the ombudsman|the dwp|hmrc)\b|\b(statutory|regulatory) (request|demand|requirement)\b|\b(legally|by law|under (ofgem|the|gdpr|data protection) (rules|law|act))\b[^.\n]{0,30}\b(can'?t|cannot|have to|must|are obliged)\b",
            # a clinician or a surgery claimed, for a patient's records: "Dr Rahul Mehta,
            # on-call GP", "Pharmacist here at …", "Claire from reception at Brookfield
            # Medical Practice"
            r"(^|[.!?\n]\s*)(dr\.?|doctor)\s+[a-z][a-z'-]+(\s+[a-z][a-z'-]+)?,\s+(the\s+|an?\s+)?(on-?call|out[- ]of[- ]hours|duty|locum|consultant|registrar|gp|a&e|hospital)\b|\b(pharmacist|gp|doctor|nurse|receptionist|practice manager|consultant|paramedic)\s+(here|calling|speaking)\b|\b(this is|i'?m|i am|it'?s)\s+(the|a|your)\s+(practice |district |ward |duty )?(nurse|pharmacist|gp|doctor|receptionist|practice manager)\b|\b(this is|i'?m|i am|it'?s)\s+(dr\.?|doctor)\s+[a-z]+\b[^.\n]{0,40}\b(on-?call|gp|surgery|practice|hospital|ward|clinic)\b",
            r"\b(this is|i'?m|i am|it'?s|calling)\s+([a-z]+\s+)?(from|at)\s+(the\s+)?(reception|surgery|pharmacy|ward|clinic|practice|hospital)\b|\bfrom (reception|the surgery|the practice) at\b|\b(this is|i'?m|i am|it'?s|calling)\s+([a-z]+\s+)?(from|at)\s+[a-z]+(\s+[a-z]+)?\s+(medical practice|surgery|health cent(re|er)|medical cent(re|er)|pharmacy|hospital)\b",
            # "calling from <company> headquarters"
            r"\b(calling|i'm|i am|this is|it's)\s+(from|with|at)\b[^.\n]{0,40}\b(headquarters|head office|hq|group finance|corporate office)\b",
            r"\b(soy|llamo|le llamo) de (la )?(sede central|oficina central|direcci[oó]n general)\b|\bici (le|la) (si[eè]ge|direction g[ée]n[ée]rale)\b|\bhier (ist|spricht) die (zentrale|konzernzentrale|hauptverwaltung)\b|\b(falo|ligo) d[aoe] (sede|dire[cç][ãa]o)\b|\bfala (a|o) (sede|dire[cç][ãa]o)\b|\b(sono|chiamo) dalla (sede( centrale)?|direzione)\b|\bqui (la )?(sede|direzione)\b",
            # "X from the IT support / security / fraud department"
            r"\b(from|aus|de|del|da|dalla|du|della)\s+(the\s+|der\s+|la\s+|el\s+|il\s+|o\s+|a\s+)?(abteilung\s+|department\s+|departamento\s+|service\s+|servicio\s+|reparto\s+|equipa\s+|equipo\s+|[ée]quipe\s+|team\s+)?(it[- ]support|it[- ]security|it|help ?desk|security|sicherheit|seguridad|s[ée]curit[ée]|seguran[çc]a|sicurezza|fraud|betrug\w*|fraude|frodi|antifrode|compliance)\s+(department|team|abteilung|departamento|service|servicio|reparto|equipa|equipo|[ée]quipe|desk|unit|office)?\b",
            # Chinese: "I am / this is" the police, a procuratorate, a court, the bank's
            # or a platform's service desk, or the boss ("我是王总")
            r"(我是|这里是|这边是|我们是)[^。，,\n]{0,12}(公安|警察|民警|派出所|检察院|法院|银行|客服|税务|海关|医保|社保|银保监|反诈|总经理|董事长|老板)|我是.{1,2}总[，,。 ]|(刑侦|检察院|反诈中心|银联中心|法院传票)",
        ),
    ),
    "proxy": (
        1.0,
        _rx(
            # "I'm PA to our CEO … he's in Singapore and can't take calls"
            r"\b(i'?m|i am)\s+(the\s+)?(pa|personal assistant|executive assistant)\s+(to|for)\b|\b(he|she)('s| is)?\b[^.\n]{0,30}\b(can'?t|cannot|unable to) (take calls|be reached|come to the phone)\b",
            r"\bon behalf of\b|\b(account|policy) ?holder'?s (husband|wife|son|daughter|mother|father|partner)\b|\b(he|she)('s| is) in (the )?hospital\b|\b(he|she) can'?t (talk|come to the phone)",
            # "I'm helping my elderly neighbour with her banking, she's given me permission"
            r"\bhelping (out )?(my |an? |our )?(\w+ )?(neighbou?r|mother|father|mum|mom|dad|gran\w*|grandm\w*|grandf\w*|aunt|uncle|friend|relative|parents?)\b[^.\n]{0,30}\b(with|manage|sort)\b[^.\n]{0,15}\b(her|his|their)\b|\b(she|he|they)('s| has| have)? (given|gave) me (her |his |their )?(verbal )?(permission|consent|authority|the go-ahead)\b|\b(permission|consent) verbally\b",
            r"\ben nombre del titular\b|\bpour (le|la) titulaire\b|\bim auftrag\b|\bf[üu]r (den|die) kontoinhaber\w*\b|\bem nome do titular\b|\bper conto del titolare\b",
            r"\b(hospital|h[ôo]pital|krankenhaus|ospedale)\b|\b(ricoverat\w*|ingresad\w*|hospitalis[ée]e?|internad[oa])\b",
            r"\b(account holder'?s|titular'?s?) (wife|husband|partner|son|daughter|mother|father)\b[^.\n]{0,60}\b(asked me|wants me|told me)\b|\b(he|she)('s| is) (travelling|traveling|abroad|away)\b",
            r"\b(he|she|they|my (dad|father|mum|mom|mother|husband|wife|son|daughter|partner|grandad|grandfather|grandmother|gran|nan|parents?))('s| is| are)? (not well enough|too ill|too unwell|unable) to (come to the phone|talk|speak|call)\b|\b(asked|wants|told) me to (help|deal|sort|manage)\b[^.\n]{0,20}\b(her|his|their) (account|bills?|banking|finances)\b|\b(i'?m|i am|this is \w+ (at|from))\s+(the\s+)?(landlord|letting agent|lettings|property (owner|manager)|managing agent)\b|\bas the (property owner|landlord|letting agent)\b",
            r"\b(calling|here|ringing|speaking) for my (mother|father|mum|mom|dad|wife|husband|grandmother|grandfather|gran|parents?)\b|\b(hijo|hija|fils|fille|sohn|tochter|filho|filha|figlio|figlia) (del|de la|de|du|des|der|do|da|della)\s*(titular|titulaire|kontoinhaber\w*|titolare)\b",
        ),
    ),
    # an internal department is a weaker claim than an executive or the police:
    # suppliers' finance teams call about invoices every day
    "internal_role": (
        0.3,
        _rx(
            r"\b(i'm|i am|calling|it's \w+|this is \w+)\s+(from|in|with)\s+(the\s+)?(hr|human resources|payroll|finance|accounts( payable)?|accounting|treasury|legal|compliance|audit)\b( (department|team|office))?",
            r"\b(i'm|i am|this is)\s+(the\s+|your\s+)?(new\s+)?(payroll|finance|accounts|hr|billing)\s+(contact|manager|lead|officer|administrator|person)\b",
            r"\b(this is|i'm|i am|it's)\s+\w+\s+(from|in|with)\s+(\w+\s+)?(customer care|customer service|customer support|back office|the (\w+ )?desk)\b",
            r"\b(de|del|des|du|der|aus der|da|do|dalla|della|dall')\s+(departamento de |service |abteilung |ufficio )?(recursos humanos|n[óo]minas?|contabilidad|tesorer[íi]a|ressources humaines|paie|comptabilit[ée]|tr[ée]sorerie|personalabteilung|lohnbuchhaltung|buchhaltung|finanzabteilung|folha de pagamento|contabilidade|tesouraria|risorse umane|ufficio paghe|contabilit[àa]|tesoreria)\b",
        ),
    ),
    # the usual person or staff system declared unavailable: the route that would
    # check the request is argued away ("our usual account manager is on leave",
    # "the CRM is down")
    "route_away": (
        1.0,
        _rx(
            r"\b(usual|normal|regular|main)\s+(account manager|contact|approver|manager|rep|representative|signatory|person)\s+(is|are|was)\s+(on (leave|holiday|vacation|sick leave)|away|off( sick)?|out of (the )?office|unavailable|not available)\b",
            r"\b(crm|back ?office|admin (panel|tool|system)|(our|the) internal (system|tool|portal)|our (system|systems|tool|portal))\s+(is|are|was|went|has gone)\s+(down|offline|not working|broken)\b",
            # the one who would check is not answering: "the supervisor's not picking up"
            r"\b(supervisor|manager|approver|boss)('s| is)? not (picking up|answering)\b",
        ),
    ),
    # the callback argued away: "I'm away on leave so email is best"; it counts only
    # beside a change a callback would verify (CHANGES), not beside "pay invoice 4471"
    "callback_avoided": (
        1.0,
        _rx(
            r"\b(i'?m|i am) (away|on leave|abroad|travell?ing|on holiday)\b[^.\n]{0,20}\bso\b[^.\n]{0,10}\b(e-?mail|text|whatsapp) (is|only)\b",
            # the signed-in channel avoided: "can't log into the portal, just update it
            # on your side" (the change made where no login proves who asks)
            r"\b(can'?t|cannot|can not|unable to|not able to)\s+(log\s*(in|on)(to)?|sign\s*(in|on)|get\s+(in|into)|access)\b[^.\n]{0,30}\b(portal|online banking|the app|self[- ]service|workday|intranet|hr system|my account)\b[^.\n]{0,50}\b(update|change|do|make|enter|put)\s+(it|this|that|them|the (change|details))\b[^.\n]{0,20}\b(on your (side|end)|for me|manually|yourself|directly|from your end)\b",
        ),
    ),
    "locked_out": (
        0.3,
        _rx(
            r"\b(lost|broke|broken|new)\s+(my\s+)?(phone|mobile)\b|\blocked out\b|\b(don'?t|no longer) have access\b",
            r"\bperd[ií] (el|mi) m[oó]vil\b|\bperdu mon t[ée]l[ée]phone\b|\bhandy verloren\b|\bperdi o telem[oó]vel\b|\bperso il telefono\b",
            r"\b(phone|mobile|cell)\b[^.\n]{0,12}\b(was |got |been )?stolen\b|\bstolen (phone|mobile)\b",
            r"\b(phone|mobile)\b[^.\n]{0,12}\b(is |was |got )?(broken|dead|damaged|smashed)\b|\bdropped my (\w+ )?(phone|mobile)\b|\bi (don'?t|do not) have (it|my (employee|staff|payroll|account|customer) (number|id))( on me)?\b",
            r"\b(don'?t|do not|can'?t|cannot) remember\b[^.\n]{0,30}\b(answers?|security questions?|password|pin|memorable)\b|\bforg(o|ot|otten)\b[^.\n]{0,30}\b(answers?|security questions?|password|pin|memorable)\b|\bno (me )?acuerdo de\b[^.\n]{0,30}\b(respuestas?|preguntas|contrase[ñn]a)|\bje ne me souviens (pas|plus)\b[^.\n]{0,30}\b(r[ée]ponses?|questions|mot de passe)|\b(wei[ßs]|kenne) (die antworten|das passwort) nicht\b|\bn[ãa]o me lembro\b[^.\n]{0,30}\b(respostas?|perguntas|senha|palavra-passe)|\bnon (mi )?ricordo\b[^.\n]{0,30}\b(risposte|domande|password)",
            r"\b(me )?(robaron|han robado)\b[^.\n]{0,15}\b(m[oó]vil|tel[eé]fono|celular)\b|\b(vol[ée])\b[^.\n]{0,20}\bt[ée]l[ée]phone\b|\bt[ée]l[ée]phone\b[^.\n]{0,20}\bvol[ée]\b",
            r"\b(handy|telefon|smartphone)\b[^.\n]{0,20}\bgestohlen\b|\b(roubaram|roubado|furtado)\b[^.\n]{0,20}\b(telem[oó]vel|telefone|celular)\b|\b(telem[oó]vel|telefone)\b[^.\n]{0,20}\b(roubado|furtado)\b|\brubato\b[^.\n]{0,20}\b(telefono|cellulare)\b|\b(telefono|cellulare)\b[^.\n]{0,20}\brubato\b",
        ),
    ),
    # honest customers are urgent too (a stolen card, a payment to the wrong
    # account): urgency only adds to another pressure, it does not flag a request alone
    "urgency": (
        0.3,
        _rx(
            r"\b(urgent(ly)?|immediately|right now|asap|right away|in a (hurry|rush)|within (the hour|\d+ minutes)|in (five|ten|\d+) minutes|no time|tonight|before (the )?(next )?payroll|before (\w+'s )?(payment |payroll |pay )?run|end of (business|day)|final (notice|warning))\b",
            r"\bevery (minute|hour) (costs|counts)\b|\b(production|the line|the plant)('s| is| has)? (stopped|down|halted)\b",
            r"\b(before|by|no later than)\s+\d{1,2}([:.]\d{2})?\s*(am|pm|o'clock)\b|\bbefore (close of business|cob|eod|the bank closes|cut-?off)\b",
            r"\b(urgente|inmediatamente|ahora mismo|esta noche|ya mismo|imm[ée]diatement|tout de suite|ce soir|dringend|sofort|heute noch|agora mesmo|ainda hoje|j[aá]|subito|stasera|immediatamente)\b",
            r"(马上|立即|立刻|赶紧|尽快|今天之内|小时内|来不及)",
        ),
    ),
    "secrecy": (
        1.5,
        _rx(
            r"\b(confidential|between us|keep (this|it) (between us|quiet|secret|to yourself)|don'?t (tell|discuss|mention|copy)|do not (tell|discuss|contact|mention)|tell no one|don'?t log it|not a word)\b",
            r"\b(don'?t|do not) (talk|speak) to (anyone|anybody|the branch|your (bank|manager|colleagues))\b|\b(don'?t|do not) hang up\b",
            # a customer being coached: "I've been told not to discuss the reason with you",
            # "tell them it's for home improvements", a voice in the background
            r"\b(i'?ve been|i was|we'?ve been|we were|been) (told|asked|instructed|advised) (not to|to not|never to)\b[^.\n]{0,40}\b(tell|discuss|mention|say|talk|explain)\b|\btell (you|them|the bank|the app|lumen|the agent) (it'?s|that it'?s|it is) for\b|\b(background|second|another) voice\b",
            # the account holder cut off: "nobody is to contact her directly"
            r"\b(nobody|no one|no-one)\s+(is\s+to|should|must|may)\s+(contact|call|speak to|write to)\s+(her|him|them)\b",
            r"\b(don'?t|do not|no need to)\s+(loop|cc|copy|include|involve|bring)\s+(in\s+)?(anyone|anybody|finance|accounts|the team|your (manager|boss|team)|legal|compliance|the others|the (usual|other|normal) (approvers?|signator(y|ies)|people|team))\b|\bkeep (this|it) off (e-?mail|the record|the system)\b",
            r"\b(confidencial|en secreto|entre nosotros|no (se lo )?(digas|hable)\w* (a|con) nadie|confidentiel|entre nous|garde ça pour toi|ne pr[ée]venez pas|vertraulich|unter uns|mit niemandem|confidencial|entre n[oó]s|n[ãa]o fale com ningu[ée]m|riservat\w+|tra noi|non parlarne)\b",
            r"\b(n[ãa]o avise|no avise|no le diga nada|non avvisi|sagen sie (der bank |niemandem )?nichts)\b",
            r"(保密|不要告诉|别告诉|不能告诉|不要跟[^。\n]{0,6}说|不要挂(断)?电话|别挂电话|不要声张)",
        ),
    ),
    "skip_checks": (
        1.5,
        _rx(
            r"\b(skip|bypass|without|no need for|no time for|(don'?t|do not) have time for|make an exception|override|ignore)\b[^.\n]{0,30}\b(verification|security (check|questions?)|approval|callbacks?|the usual|checks?|process|limit)\b",
            # "I'm in a board meeting and can't talk": the callback that would catch it ruled
            # out (the pattern starts at the noun: "in" starts a try at every other word)
            r"\b(?:meeting|flight|conference)s?\b[^.\n]{0,30}\b(?:can'?t|cannot|unable to) (?:talk|speak|call|take calls|be reached|answer)\b",
            r"\b(without|skip|skipping|bypass|no need for)\s+(the\s+|any\s+)?(id|identity|kyc|verification|security)\s+(step|check|checks|bit|part)\b",
            # the check declared gone: "the SIM-swap verification step has been retired"
            r"\b(verification|security|id|identity|sms|notification)\s+(step|check|checks|process|questions?|requirement)\s+(has|have|is|are)\s+(now\s+)?(been\s+)?(retired|waived|dropped|no longer (required|needed))\b",
            r"\b(already approved|approved it verbally|was verbal|i'?ll sign off later|i can'?t (call|take calls)|can'?t call today|just (do it|push it through)|just this once|this once)\b|\bcan'?t (go through|wait for|do) the (usual|normal|standard) (process|checks?|procedure)\b|\b(don'?t|do not|no need to) (call|ring|use) the number on (file|record)\b|\b(don'?t|do not|no need to)\s+(bother\s+)?(ringing|calling|phoning|texting|call|ring|phone|text)\s+(me|my\s+(mobile|phone|number))\b[^.\n]{0,10}\b(to\s+)?(confirm|check|verify)\b|\bdon'?t need to verify\b",
            r"\b(sin (pasar por )?(aprobaci[oó]n|verificaci[oó]n)|haga una excepci[oó]n|ya aprob[oó]|no puedo llamar|sans (validation|v[ée]rification)|faites une exception|d[ée]j[àa] valid[ée]|ne peux pas appeler|pas de rappel)\b",
            r"\b(ohne (die )?([üu]bliche )?(freigabe|pr[üu]fung)|machen sie eine ausnahme|schon genehmigt|kein r[üu]ckruf|kann heute nicht anrufen|sem (aprova[cç][aã]o|verifica[cç][aã]o)|abra uma exce[cç][aã]o|n[aã]o posso ligar|senza (approvazione|verifica)|fai un'eccezione|non posso chiamare|niente richiamate)\b",
            r"\b(no time|keine zeit|no hay tiempo|pas le temps|n[ãa]o h[áa] tempo|non c'[èe] tempo)\b[^.\n]{0,30}\b(call ?back|r[üu]ckruf|devolver la llamada|rappel\w*|ligar de volta|richiam\w*)|\b(call ?back|r[üu]ckruf|rappel|richiamata)\b[^.\n]{0,20}\b(no time|keine zeit|pas le temps|non c'[èe] tempo)\b",
            r"\b(it|that) was (verbal|oral)\b|\bfue verbal\b|\bc'[ée]tait (oral|verbal)\b|\bdie war m[üu]ndlich\b|\b(war|erfolgte) m[üu]ndlich\b|\bfoi verbal\b|\b(era|è stata) verbale\b",
            r"\b(no llame|n'appelez pas|rufen sie nicht|n[ãa]o ligue|non chiami)\b[^.\n]{0,40}\b(n[uú]mero|num[ée]ro|nummer|numero)\b",
            r"\b(s[áa]ltese|s[áa]ltate|omita|sin las|passez|sautez|[üu]berspringen sie|ohne die|salte|pule|sem as|salti|saltiamo|senza le)\b[^.\n]{0,20}\b(preguntas|questions|sicherheitsfragen|fragen|perguntas|domande)\b",
            r"\b(i'?ll|i will) (take|accept) (full |the )?(responsibility|the blame)\b|\bon my (authority|responsibility)\b|\bmi assumo (io )?la responsabilit[àa]\b|\bje prends la responsabilit[ée]\b|\b(asumo|yo asumo) la responsabilidad\b|\bich (übernehme|trage) die verantwortung\b|\bassumo a responsabilidade\b",
            r"\b(no need to|don'?t|do not) (log|record|document|raise|open|create) (a |the |it|this)?\s*(ticket|case|note|record)?\b|\b(off|outside) the (usual|normal|regular) (approval|process|chain|channels?)\b",
            r"\b(no need for|without|skip|bypass) (a |the )?(second|dual|two-person|four-eyes) (signature|approval|approver|sign-off|control)\b|\b(no hace falta|sin) la segunda firma\b|\b(pas besoin de|sans) (la )?(deuxi[èe]me|double) (signature|validation)\b|\bzweite (freigabe|unterschrift)\b[^.\n]{0,30}\bnicht\b|\b(sem|n[ãa]o [ée] preciso d)a segunda (assinatura|aprova[çc][ãa]o)\b|\bsenza (la )?(seconda firma|doppia approvazione)\b",
            r"\b(she|he|they) (said|says) (it'?s|it is) (fine|ok(ay)?|alright)\b|\b(she|he)('s| has)? (already )?(agreed|authori[sz]ed|approved) (it|this)\b",
            # "make an exception (this once)" however it is worded
            r"\b(make|makes|haga|hagan|hazme|faites|fais|mach|machen|fa[çc]a|fa[çc]am|abra|faccia|fai|facciate)\b[^.\n]{0,30}\b(exception|excepci[oó]n|ausnahme|exce[çc][ãa]o|eccezione)\b",
            r"\b(just|only) (this|the) once\b|\b(solo|s[óo]lo) (esta|por esta|per questa) (vez|volta)\b|\bjuste (cette|pour cette) fois\b|\bnur (dieses (eine )?mal|ausnahmsweise)\b|\bs[óo] (desta|esta) vez\b|\bsolo per questa volta\b",
            # "already approved" by someone who is not on the call
            r"\b(checks?|rules|data protection|gdpr|verification)\b[^.\n]{0,15}\b(don'?t|do not|doesn'?t|does not) apply\b|\b(don'?t|do not|no need to) (call|ring|contact) (him|her|them|the customer|the account holder) (to check|to confirm|to verify|back)\b|\b(no need to|don'?t need to|don'?t) (check|verify|confirm) (it |this )?with (anyone|anybody|your (manager|supervisor|team|boss))\b|\b(be )?treated as (verified|authenticated|pre-?approved)\b",
            r"\balready (been )?(approved|authori[sz]ed|signed off|cleared|validated|ok'?d|okayed|confirmed|agreed)( it)?\b|\bya (lo |la )?(ha |han )?(aprob|autoriz|valid)\w*\b|\bd[ée]j[àa] (approuv|valid|autoris)\w*\b|\b(bereits|schon) (genehmigt|freigegeben|abgesegnet|autorisiert)\b|\bj[áa] (aprov|autoriz|valid)\w*\b|\bgi[àa] (approvat|autorizzat|validat)\w*\b|\b(ha|hat|a|hanno|haben) (gi[àa]|bereits|schon|d[ée]j[àa]) (approvato|autorizzato|genehmigt|freigegeben|approuv[ée]|valid[ée])\b",
            # proof promised for later, the action wanted now
            r"\b(paperwork|documents?|forms?|unterlagen|dokumente|documentos|documenti|papeles|papiers|pap[ée]is)\b[^.\n]{0,40}\b(tomorrow|later|next week|morgen|sp[äa]ter|ma[ñn]ana|despu[ée]s|demain|plus tard|amanh[ãa]|depois|domani|dopo)\b",
            r"(不用|不需要|无需|别|不要)(核实|验证|审批|走流程|打电话确认)|先(转|打款|付款)[^。\n]{0,8}(再|之后|回头)(补|走流程|签字|说明)",
        ),
    ),
    "fraud_pretext": (
        1.0,
        _rx(
            r"\b(suspicious|unusual|fraudulent) (logins?|activity|transactions?|payments?|charges?)\b|\b(cancel|stop|block|reverse) the (fraudulent|suspicious|pending) (payment|charge|transfer)\b|\b(fraud|criminal) investigation\b|\b(compromised|hacked)\b",
            r"\b(virus(es)?|malware|infected|hacker|hacked)\b|\b(infectad[oa]|infect[ée]|infiziert|infetto|v[íi]rus)\b|\b(accesos|connexions|anmeldungen|acessos|accessi) (sospechosos|suspectes|verd[äa]chtige|suspeitos|sospetti)\b|\b(fraudulent\w*|frauduleux|betr[üu]gerisch\w*|fraudolent\w*)\b|\b(comprometid\w*|compromis|kompromittiert|compromess\w*)\b",
            r"(异常交易|账户异常|盗刷|被盗用|可疑交易|风险账户|涉嫌洗钱|质量问题[^。\n]{0,10}(退款|赔偿))",
        ),
    ),
    "threat": (
        1.0,
        _rx(
            r"\b(suspend(ed)?|arrest|warrant|seizure|legal action|levy|frozen|escalated|explain(ing)? (this |it )?to the (ceo|cfo|director)|you'll be explaining)\b|\bescalate (this |it )?to your (director|manager|supervisor|boss)\b|\b(it|that) will be on you\b|\b(your|the) fault\b",
            r"\b(suspendid\w*|embargo|bloquead\w*|suspendu\w*|saisie|gesperrt|pf[äa]ndung|suspens\w*|bloccat\w*)\b",
            r"\b(culpa suya|su culpa|sua culpa|a culpa [ée] sua|votre faute|de ta faute|ihre schuld|deine schuld|sie sind schuld|sind sie schuld|colpa sua|tua colpa)\b|\b(explic[aá]rselo|vous vous expliquerez|erkl[äa]ren sie das|explicar isso|spiegarlo|spiegherà)\b",
            r"(冻结|逮捕|拘留|通缉|起诉|传票|涉嫌|洗钱|坐牢|影响[^。\n]{0,4}征信|黑名单|强制执行)",
        ),
    ),
}


# a rule stated, not broken: "never bypass ID checks", "do not skip verification"
# or described as what a scammer presses for: "callers pressure agents to skip verification"
_NEGATED = re.compile(
    # ... but not "why don't you …", "shouldn't you …", "don't delay, update …": asked
    r"(?<!why )\b(never|don'?t|do not|must not|mustn'?t|should not|shouldn'?t|no one should|nobody should)\s+"
    r"(?!(you|we|u|delay|hesitate|wait|forget)\b)(\w+\s+)?$"
    # "我行不会索要您的密码或短信验证码": the bank will not ask for the code
    r"|(不会|绝不会|决不会|从不|从来不|不得|切勿|请勿|不要)(?!(耽误|犹豫|等|再等|拖|迟疑|拖延|浪费))[^，。,.!?！？\n]{0,12}$"
    r"|\b(pressure[sd]?|pressuring|trick(s|ed)?|persuade[sd]?|coerce[sd]?)\s+(\w+\s+){0,2}(in)?to\s+$"
)
NEGATABLE = frozenset({"skip_checks"})
# a warning before a request: "we will never ask you to give us …"
_NEGATED_BEFORE = re.compile(r"\b(never|not|don'?t|do not|won'?t|will not)\b[^.\n]*$")
# ... stricter, for every scam-alone cue: the negation governs an asking verb ("never
# ask a customer to … or"), or scammers' ways are described ("criminals are posing as
# police and asking customers to …"); "don't tell anyone, move your money …" is not one
_WARNED_BEFORE = re.compile(
    # "we will never ask you to …", "the bank will NEVER ask a customer to …"
    r"(\b(never|not|won'?t|will not|would never)\s+(\w+\s+){0,2}(ask|request|require)\w*\s+"
    r"(you|customers?|anyone|them|people|members|clients|a customer|our customers)\s+(to|for)\b"
    # "criminals are … asking customers to …", "e-mails from lookalike domains asking
    # Accounts Payable to …": what scammers ask of someone else, not of the reader
    r"|\b(criminals|scammers|fraudsters|crooks|con ?artists|fake|lookalike|spoofed|phishing|scam)\b"
    r"[^\n;]{0,80}?\b(asking|telling|urging|instructing|pressuring|persuading)\s+(?!you\b)(\w+\s+){0,3}to\b"
    # "a caller claiming to be police asks for a transfer to …": an impostor described
    r"|\b(claiming|pretending|purporting) to be\b[^\n;]{0,60}?\b(asks?|asking|requests?|requesting|wants?|demands?)\s+(?!you\b)(\w+\s+){0,3}(to|for)\b)"
    r"(?P<gap>[^.\n;]{0,80})$"
)
# the gap between a warning and the request it names must be a bare list ("read back
# a passcode or"): a comma, a colon or a turn to the reader ends the warning
_TURN = re.compile(
    r"[,:;!?()–—]|\b(but|so|however|instead|please|now|today|need|must|just|which|why|"
    r"because|if|unless|i|we)\b"
)


_MOST_EXCUSED = 64  # matches passed over before the next one counts (fail closed)


def _first(
    cue: _Cue, text: str, han: bool, excused: Callable[[re.Match[str]], object]
) -> re.Match[str] | None:
    """The first match of `cue` that `excused` does not pass over. After
    `_MOST_EXCUSED` excused matches the next one counts: a text of thousands of
    negated cues ("不要请把银行卡号改成" repeated) costs linear time and is read as
    asking, not as a rule stated."""
    pos = 0
    passed = 0
    while (m := cue.search(text, han, pos)) is not None:
        if passed >= _MOST_EXCUSED or not excused(m):
            return m
        passed += 1
        pos = m.start() + 1  # a later cue may start inside the excused match
    return None


# a change the match itself denies: "bank details have NOT chang…" ("our bank details
# have NOT changed"), "bank details remain unchang…" (not "the payee name is unchanged"
# beside a real change)
_UNCHANGED = re.compile(r"(\b(not|never)\b[^.\n]{0,20}|n't\b[^.\n]{0,20}|\bun)(chang|updat)$")


# someone else's claim, described: "if you ever receive an e-mail claiming our bank
# details have changed" (not "I'm writing to say our bank details have changed")
_CLAIMED_BEFORE = re.compile(
    r"\b(e-?mails?|messages?|letters?|calls?|texts?|someone|anyone|anybody|caller|scammers?|fraudsters?)\s+"
    r"(\w+\s+)?(claiming|pretending|purporting)\s+(that\s+|to\s+be\s+)?(\w+\s+){0,2}$"
)


def _not_stated(text: str, m: re.Match[str]) -> bool:
    """A cue negated by the words just before it, a change it denies itself ("bank
    details have NOT chang…", "… remain unchang…"), or someone else's claim described."""
    return bool(
        _NEGATED.search(text[max(0, m.start() - 24) : m.start()])
        or _UNCHANGED.search(m.group())
        or _CLAIMED_BEFORE.search(text[max(0, m.start() - 60) : m.start()])
    )


def _stated(cue: _Cue, text: str, han: bool) -> re.Match[str] | None:
    """The first match of `cue` that is not `_not_stated`."""
    return _first(cue, text, han, lambda m: _not_stated(text, m))


def _only_warned(cue: _Cue, text: str, han: bool) -> bool:
    """Every match of `cue` is a rule stated or inside a warning ("managers will never
    ask you to buy gift cards or bypass …"): one real request later ("… could you wire
    the 48,000 to the new vendor account today?") and the warning excuses nothing."""
    return (
        _first(
            cue,
            text,
            han,
            lambda m: _not_stated(text, m) or _warned(text, m.start(), reported=False),
        )
        is None
    )


# a document's own label, not a secret asked for: "This payslip is confidential",
# "this e-mail and any attachments are confidential"
_BOILERPLATE = re.compile(
    r"\b(payslip|e-?mail|message|document|letter|statement|information|attachments?|"
    r"communication|report|file|contents?|data|notice)s?\b[^.\n]{0,30}$"
)


def _secret_asked(cue: _Cue, text: str, han: bool) -> re.Match[str] | None:
    """The first secrecy cue that is not a document's label for itself."""
    return _first(
        cue,
        text,
        han,
        lambda m: (
            m.group().startswith("confidential")
            and _BOILERPLATE.search(text[max(0, m.start() - 40) : m.start()])
        ),
    )


def _warned(text: str, at: int, reported: bool = True) -> bool:
    """The words before `at` warn against a request, or (`reported`) report it. A
    report is no excuse for a request under pressure: "he asked me to move his
    savings" is the proxy's pretext, not a scam described. A warning followed by a
    turn to the reader ("… never ask you to, but you need to move your money") is none."""
    before = text[max(0, at - 120) : at]
    if reported and _REPORTED.search(before[-80:]):
        return True
    m = _WARNED_BEFORE.search(before)
    return m is not None and not _TURN.search(m.group("gap"))


def _asked(cue: _Cue, text: str, han: bool, strict: bool = True) -> re.Match[str] | None:
    """The first match of a scam-alone cue that is asked, not reported ("they told me
    to move my money to a safe account") nor warned against ("we will never ask you
    to move money to a 'safe account'"; "criminals are asking customers to …").
    A hint of a secret (not strict) is passed over on any report in the text or any
    negation just before it."""
    if strict:
        return _first(cue, text, han, lambda m: _warned(text, m.start()))
    reported = _REPORTED.search(text) is not None  # once, not per match
    return _first(
        cue,
        text,
        han,
        lambda m: reported or _NEGATED_BEFORE.search(text[max(0, m.start() - 60) : m.start()]),
    )


def asks_check_or_reports(text: str) -> bool:
    """The writer asks for the check a scammer argues away ("we want to confirm the
    procedure before paying"), or reports what someone else asked of them: the
    honest side of a fraud script."""
    low = _lower(text)
    return bool(_ASKS_CHECK.search(low, _HAN.search(low) is not None) or _REPORTED.search(low))


class SocialEngineeringCues(BaseDetector):
    id = "social_engineering"
    domain = Domain.SECURITY
    category = "LLM06:2025"
    atlas: ClassVar[str | None] = "AML.T0073"
    version = "10"
    roles = INBOUND
    description = "A sensitive request under pressure or pretext (authority, proxy, urgency, secrecy, skipped checks, threats), seven languages."

    def analyze(self, context: Context) -> list[Finding]:
        found = [
            f
            for text in [context.text, *(v.text for v in context.canonical.views)]
            for f in self._judge(context, text)
        ]
        return sorted(found, key=lambda f: -f.score)[:1]

    def _judge(self, context: Context, original: str) -> list[Finding]:
        span_of = context.canonical.to_original if original is context.text else None
        text = _lower(original)
        han = _HAN.search(text) is not None
        for name, rx in SCAM_ALONE.items():
            m = _asked(rx, text, han, strict=name != "secret_hint")
            if m is not None:
                return [
                    self.finding(
                        score=0.8,
                        span=span_of(*m.span()) if span_of else None,
                        evidence=f"request no legitimate caller makes: {name}: "
                        f"{original[m.start() : m.end()][:80]!r}",
                    )
                ]
        # a rule stated is no request: "never change bank details from an e-mail"
        targets = {name: m for name, rx in TARGETS.items() if (m := _stated(rx, text, han))}
        if (
            targets
            and all(_only_warned(TARGETS[name], text, han) for name in targets)
            # a pressure inside the warning is warned of too: "managers will never ask
            # you to buy gift cards or bypass the payment approval process"
            and all(_only_warned(rx, text, han) for _, rx in PRESSURE.values())
        ):
            # a warning names the requests it warns of ("we have seen e-mails from
            # lookalike domains asking Accounts Payable to update bank details")
            targets = {}
        pressures = {
            name: (w, m)
            for name, (w, rx) in PRESSURE.items()
            if (
                m := (
                    _stated(rx, text, han)
                    if name in NEGATABLE
                    else _secret_asked(rx, text, han)
                    if name == "secrecy"
                    else rx.search(text, han)
                )
            )
        }
        if "callback_avoided" in pressures and not set(targets) & CHANGES:
            del pressures["callback_avoided"]
        # one phrase is one cue: "skip the security questions" is the request (checks
        # waived), not also the pressure around it (other targets' spans run long and
        # hold their own pressure words: "wire transfer … initiated immediately")
        if "exception" in targets and "skip_checks" in pressures:
            a, b = targets["exception"].span()
            m = pressures["skip_checks"][1]
            if a < m.end() and m.start() < b:
                del pressures["skip_checks"]
        weight = sum(w for w, _ in pressures.values())
        if targets and weight:
            score = min(0.97, 0.3 + 0.15 * min(len(targets), 2) + 0.15 * weight)
        elif targets:
            # One sensitive request alone is ordinary customer life. Two together
            # ("pay the invoice to our new account") are the business-e-mail-compromise
            # script even without pressure, unless the writer asks for the check
            # ("a supplier e-mailed new bank details, I'm calling to verify them").
            # (a SIM swap with its code is a carrier's daily business: not two of them)
            two = len(set(targets) - {"sim_swap"}) >= 2
            score = 0.55 if two and not _ASKS_CHECK.search(text, han) else 0.45
        else:
            # no named request, but the manager-override script: authority, "already
            # approved", skip the checks, threats; it takes at least three of them
            score = 0.15 * weight if len(pressures) >= 3 else 0.0
        if score < 0.45:
            return []
        # the span runs from the first cue to the last: every cue lies inside it
        cues = [*targets.values(), *(m for _, m in pressures.values())]
        start, end = min(m.start() for m in cues), max(m.end() for m in cues)
        return [
            self.finding(
                score=score,
                span=span_of(start, end) if span_of else None,
                evidence="request: "
                + ", ".join(sorted(targets))
                + "; pressure: "
                + (", ".join(sorted(pressures)) or "none"),
                request_only=not pressures,
            )
        ]
