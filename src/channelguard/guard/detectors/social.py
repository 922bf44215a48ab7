"""Social engineering and impersonation pressure, by cue families in six languages.

A scam asks for something sensitive (a contact or bank-detail change, a one-time
code or an MFA reset, money, remote access) and applies pressure or a pretext
(claimed authority, acting for someone else, urgency, secrecy, skipping the
usual checks, threats, "I lost my phone"). Either alone is ordinary customer
life; together they are the script of account takeover and CEO fraud. The
score grows with the number of families present.
"""

from __future__ import annotations

import re
from typing import ClassVar

from channelguard.guard.detectors.base import INBOUND, BaseDetector, Context
from channelguard.guard.types import Domain, Finding

__all__ = ["SocialEngineeringCues"]


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


TARGETS: dict[str, re.Pattern[str]] = {
    "contact_change": _rx(
        r"\b(change|update|replace|switch|set)\b[^.\n]{0,40}\b(phone|mobile|cell)(\s+number)?|\b(change|update|replace)\b[^.\n]{0,30}\b(e-?mail( address)?|address on (the )?(file|account)|contact details)\b",
        r"\b(cambi\w*|actualic\w*|actualiz\w*|modifiq\w*)\b[^.\n]{0,40}\b(tel[eé]fono|m[oó]vil|correo|n[uú]mero de (tel[eé]fono|la cuenta))",
        r"\b(chang\w*|modifi\w*|mett\w* à jour)\b[^.\n]{0,40}\b(num[eé]ro|t[eé]l[eé]phone|e-?mail|courriel)",
        r"\b([äa]nder\w*|aktualisier\w*|tausch\w*)\b[^.\n]{0,40}\b(telefonnummer|handynummer|nummer|e-?mail)|\btelefonnummer\b[^.\n]{0,40}\b([äa]nder\w*)",
        r"\b(mud\w*|alter\w*|atualiz\w*)\b[^.\n]{0,40}\b(telefone|telem[oó]vel|e-?mail|n[uú]mero)",
        r"\b(cambi\w*|aggiorn\w*|modific\w*)\b[^.\n]{0,40}\b(telefono|cellulare|e-?mail|numero)",
        r"\b(send|email|text)\b[^.\n]{0,30}\b(code|link)\b[^.\n]{0,30}\b(new|this|another|different)\s+(number|phone|address|e-?mail)",
        r"\b(code|link)\b[^.\n]{0,30}\b(to|an)\s+(this|my|meine?)\s+(new|neue)\b",
    ),
    "bank_details": _rx(
        r"\b(bank (details|account)|iban|beneficiary|payee|direct deposit|routing number|account (number|details))\b[^.\n]{0,40}\b(chang|updat|new)|\b(new|updated|changed)\b[^.\n]{0,20}\b(bank (details|account)|iban|beneficiary|payee)|\bchanged banks?\b",
        r"\b(nueva cuenta|cuenta bancaria nueva|datos bancarios|cambiado de banco|cambio de cuenta)\b",
        r"\b(nouveau compte|rib|coordonn[ée]es bancaires|chang[ée] de banque)\b",
        r"\b(neue[nr]? (bank|konto)\w*|bankverbindung|kontoverbindung|bank gewechselt|gehaltskonto)\b",
        r"\b(nova conta|dados banc[aá]rios|mudei de banco|conta para sal[aá]rio)\b",
        r"\b(nuovo conto|coordinate bancarie|cambiato banca|conto per lo stipendio)\b",
    ),
    "codes_or_mfa": _rx(
        r"\b(one[- ]time|verification|security|confirmation|reset|sms)\s+(code|link|passcode)\b|\botp\b|\b(2fa|mfa|two[- ]factor)\b|\b(read|tell|give) me the (\w+ )?code\b|\bcode (we|i) (just )?(sent|texted)\b|\b(temporary|new) password\b[^.\n]{0,30}\b(phone|tell|give|read)\b|\b(give|tell|read) me the (temporary|new) (one|password)\b",
        r"\bc[oó]digo\b|\bcode re[çc]u\b|\bcode (par|du) sms\b|\b(best[äa]tigungs)?code\b|\bcodice\b",
        r"\b(restablez\w*|r[ée]initialis\w*|zur[üu]cksetz\w*|repo\w*|reimpost\w*)\b[^.\n]{0,30}\b(factor|authentifi\w*|anmeldung|autentica\w*)",
    ),
    "money": _rx(
        r"\b(wire|transfer|remit|remittance|payment|pay(out)?)\b[^.\n]{0,40}(\$|€|£|eur|usd|\d{2,}|today|now|immediately|supplier|vendor|account)",
        r"\bgift ?cards?\b|\bsafe account\b|\bmove (your|the) (money|savings|funds|balance)\b",
        r"\b(cuenta segura|compte s[ée]curis[ée]|sichere[sn]? konto|conta segura|conto sicuro)\b",
        r"\b(transferencia|transfiere|tarjetas regalo|cuenta segura|pago)\b",
        r"\b(virement|cartes? cadeaux?|paiement)\b",
        r"\b([üu]berweisung|[üu]berweisen|geschenkkarten|zahlung)\b",
        r"\b(transfer[êe]ncia|transfira|cart[õo]es-presente|pagamento)\b",
        r"\b(bonifico|carte regalo|pagamento)\b",
    ),
    "account_limits": _rx(
        r"\b(raise|increase|lift|remove)\b[^.\n]{0,30}\b(daily |transfer |withdrawal |payment )*limits?\b|\b(send|ship|deliver|post)\b[^.\n]{0,30}\b(card|cheque ?book|token)\b[^.\n]{0,30}\b(different|another|new|other) address\b",
        r"\b(aument\w*|sub\w*) (el |o |il )?l[ií]mite\b|\b(relever|augmenter) (le |mon )?plafond\b|\blimit (erh[öo]h\w*|anheben)\b|\b(alza\w*|aument\w*) (il )?(massimale|limite)\b",
        r"\b(tarjeta|carte|karte|cart[ãa]o|carta)\b[^.\n]{0,40}\b(otra direcci[oó]n|autre adresse|andere adresse|outra morada|altro indirizzo)\b",
    ),
    "remote_access": _rx(
        r"\b(anydesk|teamviewer|remote (tool|access|desktop|support app))\b|\binstall\b[^.\n]{0,30}\b(tool|app)\b[^.\n]{0,30}\b(send|sending|link)\b"
    ),
}

PRESSURE: dict[str, tuple[float, re.Pattern[str]]] = {
    "authority": (
        1.0,
        _rx(
            r"\b(this is|i am|i'm|it's)\s+(the\s+|your\s+)?(ceo|cfo|coo|president|(managing |finance |financial )?director|chief \w+|head of \w+|new finance director)\b",
            r"\b(calling|i'm|i am)\s+(from|with|on behalf of)\s+(the\s+|your\s+)?(police|bank|irs|hmrc|tax|it\b|it support|help ?desk|microsoft|headquarters|hq|fraud|security|customs)",
            r"\bthis is (your|the) (bank|bank's fraud team|fraud (team|department)|police|tax office)\b",
            r"\b(soy|je suis|ich bin|sou|sono) (el |le |der |o |il )?(ceo|director\w*|directeur|direktor|diretor|direttore|gerente|responsable)",
            r"\b(llamo|le llamo|j'appelle|ich rufe|ligo|chiamo) (del|de la|de|da|von|dalla|della|aus)\s+(banco|banque|bank|polic\w+|sede|si[eè]ge|zentrale|headquarters)",
            r"\b(hier (ist|spricht)) (die |der |ihre )?(gesch[äa]ftsf[üu]hrung|bank|polizei|zentrale|finanzamt)",
            r"\b(ici le|ici la) (service|si[eè]ge|direction|banque)|\b(sou da|sono del|soy de) (equipa|team|equipo|reparto|departamento)\b",
            r"\b(the|your) (ceo|cfo|managing director|finance director|chief executive)\b[^.\n]{0,40}\b(asked|wants|needs|approved)",
        ),
    ),
    "proxy": (
        1.0,
        _rx(
            r"\bon behalf of\b|\baccount holder'?s (husband|wife|son|daughter|mother|father|partner)\b|\b(he|she)('s| is) in (the )?hospital\b|\b(he|she) can'?t (talk|come to the phone)",
            r"\ben nombre del titular\b|\bpour (le|la) titulaire\b|\bim auftrag\b|\bf[üu]r (den|die) kontoinhaber\w*\b|\bem nome do titular\b|\bper conto del titolare\b",
            r"\b(hospital|h[ôo]pital|krankenhaus|ospedale)\b",
        ),
    ),
    "locked_out": (
        0.3,
        _rx(
            r"\b(lost|broke|broken|new)\s+(my\s+)?(phone|mobile)\b|\blocked out\b|\b(don'?t|no longer) have access\b",
            r"\bperd[ií] (el|mi) m[oó]vil\b|\bperdu mon t[ée]l[ée]phone\b|\bhandy verloren\b|\bperdi o telem[oó]vel\b|\bperso il telefono\b",
        ),
    ),
    "urgency": (
        1.0,
        _rx(
            r"\b(urgent(ly)?|immediately|right now|asap|right away|within (the hour|\d+ minutes)|in (five|ten|\d+) minutes|no time|tonight|before (the )?(next )?payroll|end of (business|day)|final (notice|warning))\b",
            r"\b(urgente|inmediatamente|ahora mismo|esta noche|ya mismo|imm[ée]diatement|tout de suite|ce soir|dringend|sofort|heute noch|agora mesmo|ainda hoje|j[aá]|subito|stasera|immediatamente)\b",
        ),
    ),
    "secrecy": (
        1.5,
        _rx(
            r"\b(confidential|between us|keep (this|it) (between us|quiet|secret|to yourself)|don'?t (tell|discuss|mention|copy)|do not (tell|discuss|contact|mention)|tell no one|don'?t log it|not a word)\b",
            r"\b(confidencial|en secreto|entre nosotros|no (se lo )?(digas|hable)\w* (a|con) nadie|confidentiel|entre nous|garde ça pour toi|ne pr[ée]venez pas|vertraulich|unter uns|mit niemandem|confidencial|entre n[oó]s|n[ãa]o fale com ningu[ée]m|riservat\w+|tra noi|non parlarne)\b",
        ),
    ),
    "skip_checks": (
        1.5,
        _rx(
            r"\b(skip|bypass|without|no need for|no time for|make an exception|override|ignore)\b[^.\n]{0,30}\b(verification|security (check|questions?)|approval|callbacks?|the usual|checks?|process|limit)\b",
            r"\b(already approved|approved it verbally|was verbal|i'?ll sign off later|i can'?t (call|take calls)|can'?t call today|just (do it|push it through)|just this once|this once)\b|\bcan'?t (go through|wait for|do) the (usual|normal|standard) (process|checks?|procedure)\b|\b(don'?t|do not|no need to) (call|ring|use) the number on (file|record)\b|\bdon'?t need to verify\b",
            r"\b(sin (pasar por )?(aprobaci[oó]n|verificaci[oó]n)|haga una excepci[oó]n|ya aprob[oó]|no puedo llamar|sans (validation|v[ée]rification)|faites une exception|d[ée]j[àa] valid[ée]|ne peux pas appeler|pas de rappel)\b",
            r"\b(ohne (die )?([üu]bliche )?(freigabe|pr[üu]fung)|machen sie eine ausnahme|schon genehmigt|kein r[üu]ckruf|kann heute nicht anrufen|sem (aprova[cç][aã]o|verifica[cç][aã]o)|abra uma exce[cç][aã]o|n[aã]o posso ligar|senza (approvazione|verifica)|fai un'eccezione|non posso chiamare|niente richiamate)\b",
        ),
    ),
    "fraud_pretext": (
        1.0,
        _rx(
            r"\b(suspicious|unusual|fraudulent) (logins?|activity|transactions?|payments?|charges?)\b|\b(cancel|stop|block|reverse) the (fraudulent|suspicious|pending) (payment|charge|transfer)\b|\b(fraud|criminal) investigation\b|\b(compromised|hacked)\b",
            r"\b(accesos|connexions|anmeldungen|acessos|accessi) (sospechosos|suspectes|verd[äa]chtige|suspeitos|sospetti)\b|\b(fraudulent\w*|frauduleux|betr[üu]gerisch\w*|fraudolent\w*)\b|\b(comprometid\w*|compromis|kompromittiert|compromess\w*)\b",
        ),
    ),
    "threat": (
        1.0,
        _rx(
            r"\b(suspend(ed)?|arrest|seizure|legal action|levy|frozen|escalated|explain(ing)? (this |it )?to the (ceo|cfo|director)|you'll be explaining)\b|\bescalate (this |it )?to your (director|manager|supervisor|boss)\b|\b(it|that) will be on you\b|\b(your|the) fault\b",
            r"\b(suspendid\w*|embargo|bloquead\w*|suspendu\w*|saisie|gesperrt|pf[äa]ndung|suspens\w*|bloccat\w*)\b",
        ),
    ),
}


class SocialEngineeringCues(BaseDetector):
    id = "social_engineering"
    domain = Domain.SECURITY
    category = "LLM06:2025"
    atlas: ClassVar[str | None] = "AML.T0073"
    version = "3"
    roles = INBOUND
    description = "A sensitive request under pressure or pretext (authority, proxy, urgency, secrecy, skipped checks, threats), six languages."

    def analyze(self, context: Context) -> list[Finding]:
        found = [
            f
            for text in [context.text, *(v.text for v in context.canonical.views)]
            for f in self._judge(context, text)
        ]
        return sorted(found, key=lambda f: -f.score)[:1]

    def _judge(self, context: Context, text: str) -> list[Finding]:
        targets = {name: m for name, rx in TARGETS.items() if (m := rx.search(text))}
        if not targets:
            return []
        pressures = {name: (w, m) for name, (w, rx) in PRESSURE.items() if (m := rx.search(text))}
        weight = sum(w for w, _ in pressures.values())
        score = min(0.97, 0.3 + 0.15 * min(len(targets), 2) + 0.15 * weight)
        if score < 0.45:
            return []
        first = min(
            [*targets.values(), *(m for _, m in pressures.values())], key=lambda m: m.start()
        )
        return [
            self.finding(
                score=score,
                span=context.canonical.to_original(*first.span()) if text is context.text else None,
                evidence="request: "
                + ", ".join(sorted(targets))
                + "; pressure: "
                + (", ".join(sorted(pressures)) or "none"),
            )
        ]
