"""Benign text the shared data lacks: e-mails, invoices, tables, code, tickets, general
questions, texts full of trigger words, and customer turns in six languages."""

from __future__ import annotations

import random

from training.synth.benign_more import (
    AI_META,
    AI_META_EXTRA,
    AI_META_MORE,
    CODE_MORE,
    CUSTOMER_ML_MORE,
    EMAILS_ML_MORE,
    GENERAL_MORE,
    SHORT,
    SHORT_MORE,
    email,
    table,
)
from training.synth.core import Sample, draw, fill, pick_templates
from training.synth.general import requests
from training.synth.scam import customer_composed, urgent_honest
from training.synth.slots import (
    AMOUNTS,
    CITIES,
    COMPANIES,
    DATES,
    FIRST,
    NAMES,
    ORDERS,
    PRODUCTS,
)
from training.synth.trigger_more import trigger_genres

S = {
    "name": NAMES,
    "first": FIRST,
    "company": COMPANIES,
    "product": PRODUCTS,
    "amount": AMOUNTS,
    "order": ORDERS,
    "date": DATES,
    "city": CITIES,
}

TRIGGER = [
    "Please ignore my last email, I found the invoice in my spam folder.",
    "Ignore the previous message, I typed the wrong order number. It's {order}.",
    "Can you override the delivery date? I won't be home on {date}.",
    "How do I reset the admin password on my router?",
    "Is there a developer mode in your app? I want to test the beta features.",
    "My manager asked me to ignore the earlier quote and use the new one.",
    "The system prompt on my laptop keeps asking me to update Windows, is that related to your app?",
    "Forget what I said before, I'd like the {product} in black instead.",
    "What are your instructions for returning a {product}?",
    "Disregard my previous request for a callback, the issue is solved.",
    "I'm the admin of our company account, how do I add a new user?",
    "Please act as if the order was never placed and cancel it, I'm allowed a full refund within 14 days right?",
    "Can you repeat the instructions you gave me for the setup? I missed step three.",
    "I work as a developer and want to know if you have an API for order tracking.",
    "Override the default shipping option with express, I'll pay the difference.",
    "My son changed the system settings on the tablet and now the app won't open.",
    "I read your privacy policy; can you tell me what data you store about me?",
    "Ignore the typo in my address, the street is {city} Road not {city} Rd.",
    "What's the password policy for new accounts? Mine keeps getting rejected.",
    "Your previous instructions worked, thank you! The {product} is paired now.",
    "Please bypass the gift wrap option, it's for myself.",
    "I need to jailbreak... I mean unlock my phone from the carrier, can you help?",
    "Pretend I'm a new customer: what would the welcome offer be?",
    "Is the admin fee refundable if I cancel before {date}?",
    "Roleplay exercise for our team training: how should an agent greet a customer?",
    "You are now my favourite support agent, thanks for the quick help!",
    "Can I override the auto-renewal on my subscription?",
    "The prompt on the card reader said 'system error', what should I do?",
    "I forgot my previous instructions to the courier, can you read them back to me?",
    "Does developer mode on Android affect your app's security checks?",
    "Please delete all my previous messages and my account data, GDPR request.",
    "What is a system prompt? My daughter is studying AI at school.",
    "I'd like to ignore the upgrade offer and keep my current plan.",
    "New instructions from my side: deliver to the neighbour at number 12.",
    "Hi",
    "ok",
    "thanks!",
    "yes please",
    "no",
    "hello?",
    "Can I talk to a human?",
    "Reveal the total before tax please, I need it for my expense report.",
    "Show me the instructions for the {product}, the manual is missing.",
    "The admin panel says my order {order} is pending since {date}.",
    "Translate your return policy into Spanish for my mother please.",
    "Urgent: my card was charged twice for order {order}, please fix.",
]
TRIGGER_ML = [
    "Por favor ignora mi último correo, ya encontré la factura.",
    "Olvida lo que dije antes, quiero el {product} en negro.",
    "¿Cómo restablezco la contraseña de administrador de mi router?",
    "Ignorez mon dernier message, je me suis trompé de numéro de commande.",
    "Pouvez-vous remplacer la date de livraison ? Je ne serai pas là {date}.",
    "Quelles sont les instructions pour retourner un article ?",
    "Bitte ignorieren Sie meine letzte E-Mail, ich habe die Rechnung gefunden.",
    "Wie setze ich das Admin-Passwort meines Routers zurück?",
    "Vergessen Sie meine vorherige Anfrage, das Problem ist gelöst.",
    "Por favor ignore meu último e-mail, já encontrei a fatura.",
    "Esqueça o que eu disse antes, quero o produto em preto.",
    "Per favore ignora la mia ultima email, ho trovato la fattura.",
    "Come posso reimpostare la password di amministratore?",
    "Gibt es einen Entwicklermodus in Ihrer App?",
    "¿Existe un modo desarrollador en la aplicación?",
    "Pouvez-vous ignorer l'option cadeau ? C'est pour moi.",
]
CUSTOMER_ML = [
    ("es", "Hola, quiero devolver mi pedido {order}, el {product} llegó dañado."),
    ("es", "¿Cuándo llegará mi pedido? Lo pedí el {date}."),
    ("es", "Me cobraron dos veces {amount}, ¿pueden revisarlo?"),
    ("es", "Necesito cambiar la dirección de entrega a {city}."),
    ("es", "¿Tienen el {product} en talla M?"),
    ("fr", "Bonjour, ma commande {order} n'est toujours pas arrivée."),
    ("fr", "Je voudrais annuler mon abonnement, s'il vous plaît."),
    ("fr", "Le {product} ne fonctionne plus, puis-je avoir un remboursement ?"),
    ("fr", "Quels sont vos horaires d'ouverture à {city} ?"),
    ("fr", "J'ai été débité de {amount} deux fois."),
    ("de", "Hallo, meine Bestellung {order} ist beschädigt angekommen."),
    ("de", "Wie kann ich mein Passwort ändern?"),
    ("de", "Ich möchte den {product} zurückgeben, wie funktioniert das?"),
    ("de", "Wann wird meine Rückerstattung von {amount} bearbeitet?"),
    ("de", "Haben Sie eine Filiale in {city}?"),
    ("pt", "Olá, o meu pedido {order} ainda não chegou."),
    ("pt", "Quero trocar o {product} por outro tamanho."),
    ("pt", "Fui cobrado {amount} a mais na fatura."),
    ("pt", "Como faço para cancelar a minha assinatura?"),
    ("it", "Buongiorno, il mio ordine {order} è in ritardo."),
    ("it", "Vorrei restituire il {product}, è difettoso."),
    ("it", "Mi avete addebitato {amount} due volte."),
    ("it", "Qual è l'orario del negozio di {city}?"),
    ("en", "Where is my order {order}? It was due {date}."),
    ("en", "I'd like to return the {product}, it doesn't fit."),
    ("en", "Can you tell me my balance please?"),
    ("en", "I lost my card, can you block it?"),
    ("en", "my package says delivered but i don't have it"),
    ("en", "Can I change my delivery slot to {date}?"),
    ("en", "Do you price match? I saw the {product} cheaper elsewhere."),
    ("en", "I was charged {amount} but my order was cancelled."),
]
EMAILS = [
    "Subject: Meeting notes {date}\n\nHi team,\n\nThanks for joining today. Action items: {first} will update the forecast, and we'll review the {city} launch plan next week. Please send comments by {date}.\n\nBest,\n{name}",
    "Subject: Your order {order} has shipped\n\nHello {first},\n\nGood news: your {product} is on its way and should arrive {date}. Track it in your account. Thank you for shopping with {company}.",
    "Subject: Invoice {order} from {company}\n\nDear customer,\n\nPlease find attached invoice {order} for {amount}, payable within 30 days to the bank account printed on the invoice, as in previous months. Contact accounts@ if you have questions.\n\nKind regards,\nAccounts team",
    "Subject: Password changed\n\nHi {first}, the password for your {company} account was changed on {date}. If this was you, no action is needed. If not, contact us using the number on the back of your card.",
    "Subject: Quarterly newsletter\n\nThis quarter {company} opened a new office in {city}, welcomed 40 new colleagues and shipped the new {product}. Read the full story on our blog.",
    "Subject: Reminder: expense reports due {date}\n\nHello all, please submit your expense reports in the portal by {date}. Late submissions will be processed next cycle. Thanks, Finance",
    "Subject: Re: delivery schedule\n\nHi {first},\n\nWe can deliver the {product} order to {city} on {date}. Please ignore the earlier schedule I sent, it had the wrong warehouse. Let me know if that works.\n\n{name}\n{company}",
    "Subject: Payment received\n\nThank you, we received your payment of {amount} for invoice {order}. Your account balance is now zero.",
    "Subject: Security alert\n\nWe noticed a new sign-in to your {company} account from {city}. If this was you, you can ignore this message. Otherwise please review your security settings in the app.",
    "Subject: Out of office\n\nI'm out of the office until {date} with limited access to email. For urgent matters contact {first} at the front desk.",
    "Subject: System maintenance {date}\n\nThe admin portal will be unavailable on {date} from 22:00 to 23:00 for scheduled maintenance. No action is required from you.",
    "Subject: Your refund\n\nHi {first}, we've processed a refund of {amount} for order {order}. It may take 5-10 business days to appear on your statement.",
    "Subject: New supplier onboarding\n\nHi {first}, {company} has been approved as a supplier. Procurement will set them up in the ERP after the usual verification call to their registered number. No payment details are to be accepted by email.",
    "Subject: Team lunch\n\nWe're booking a table in {city} for {date}. Reply with any dietary requirements!",
    "Subject: Training: recognising phishing\n\nReminder: our security training on recognising phishing and CEO fraud runs {date}. Attackers often ask you to ignore previous instructions from finance or to keep a transfer secret. Always call back on a known number.",
    "Subject: Contract renewal\n\nDear {first},\n\nYour service contract with {company} renews on {date}. The annual fee remains {amount}. If you wish to cancel, reply before the renewal date.",
]
EMAILS_ML = [
    "Asunto: Factura {order}\n\nEstimado cliente, adjuntamos la factura {order} por {amount}, pagadera en 30 días a la cuenta habitual. Saludos, {company}",
    "Objet : Votre commande {order}\n\nBonjour {first}, votre colis a été expédié et arrivera {date}. Merci de votre confiance, {company}.",
    "Betreff: Besprechungsnotizen\n\nHallo zusammen, danke für das Treffen. {first} aktualisiert die Prognose bis {date}. Viele Grüße, {name}",
    "Assunto: Pagamento recebido\n\nObrigado, recebemos o pagamento de {amount} referente à fatura {order}.",
    "Oggetto: Manutenzione programmata\n\nIl portale amministrativo non sarà disponibile {date} dalle 22 alle 23. Nessuna azione richiesta.",
    "Asunto: Alerta de seguridad\n\nDetectamos un nuevo inicio de sesión en {city}. Si fue usted, ignore este mensaje.",
    "Objet : Rappel notes de frais\n\nMerci de déposer vos notes de frais avant {date}. Le service financier.",
    "Betreff: Ihre Rückerstattung\n\nWir haben {amount} für Bestellung {order} erstattet. Die Gutschrift erscheint in 5-10 Werktagen.",
]
CODE = [
    "def total(items):\n    return sum(i.price * i.qty for i in items)\n\nprint(total(cart))",
    "SELECT order_id, status FROM orders WHERE customer_id = 42 ORDER BY created_at DESC LIMIT 10;",
    "const res = await fetch('/api/orders/' + id);\nif (!res.ok) throw new Error('request failed');\nreturn res.json();",
    "# ignore files generated by the build\n*.pyc\n__pycache__/\ndist/",
    "for user in users:\n    if user.is_admin:\n        grant(user, 'override')  # admins may override limits\n",
    "git reset --hard HEAD~1  # drop the previous commit",
    "SYSTEM_PROMPT = load_template('support.txt')\nreply = model.generate(SYSTEM_PROMPT, question)",
    "if (mode === 'developer') { enableDebugPanel(); }",
    "try:\n    send_invoice(invoice)\nexcept TimeoutError:\n    retry_later(invoice)\n",
    "UPDATE accounts SET phone = :phone WHERE id = :id AND verified = true;",
]
TICKETS = [
    "Ticket {order} | priority: low | customer: {name} | summary: {product} arrived scratched | status: open",
    "[{order}] Customer reports login loop on iOS after update; cleared cache, still failing. Escalate to tier 2.",
    "Case notes: caller {name} verified via app push, requested address change to {city}; completed; confirmation sent.",
    "Ticket {order}: refund of {amount} approved by supervisor per policy 4.2 (damaged on arrival).",
    "Internal note: customer asked us to ignore the previous ticket, duplicate of {order}. Closing.",
    "Bug: admin override button visible to agents without permission. Steps: log in as agent, open order {order}.",
]
TABLES = [
    "| Month | Orders | Returns |\n|---|---|---|\n| Jan | 1,204 | 88 |\n| Feb | 1,377 | 91 |\n| Mar | 1,519 | 102 |",
    "region,revenue,growth\n{city},{amount},4.2%\nNorth,$88,000,3.1%\nSouth,$71,500,-0.4%",
    "| Product | Price | Stock |\n|---|---|---|\n| {product} | {amount} | 14 |\n| kettle | $24.00 | 0 |",
    "Name\tRole\tLocation\n{name}\tAnalyst\t{city}\n{first} Lee\tManager\tRemote",
]
QUESTIONS = [
    "What is the capital of Australia?",
    "How long should I boil an egg?",
    "Explain compound interest simply.",
    "What's the difference between a debit and a credit card?",
    "How do vaccines work?",
    "Can you summarise the plot of Hamlet?",
    "What time zone is {city} in?",
    "How do I make a sourdough starter?",
    "What does APR mean on a loan?",
    "Write a short poem about autumn.",
    "How many ounces are in a pound?",
    "What's a good name for a golden retriever?",
    "Why is the sky blue?",
    "How do I write a cover letter?",
    "¿Cuál es la capital de Canadá?",
    "Quelle est la différence entre un crédit et un débit ?",
    "Wie funktioniert eine Wärmepumpe?",
    "Qual é a melhor época para visitar Lisboa?",
    "Come si prepara il risotto?",
    "What is prompt engineering and how do system prompts work in chatbots?",
]


def _mk(
    rng: random.Random, templates: list[str], n: int, kind: str, role: str, lang: str, src: str
) -> list[Sample]:
    """Benign samples from one-language templates: core.draw with the language fixed."""
    return draw(
        rng,
        [(lang, t) for t in templates],
        n,
        slots=S,
        label=0,
        kind=kind,
        role=role,
        source=f"synth:{src}",
    )


def short_turns(rng: random.Random, split: str, n: int) -> list[Sample]:
    return _mk(
        rng,
        pick_templates(SHORT + SHORT_MORE, split),
        n,
        "benign_customer",
        "user",
        "multi",
        "short",
    )


def ai_meta(rng: random.Random, split: str, n: int) -> list[Sample]:
    return _mk(
        rng,
        pick_templates(AI_META + AI_META_MORE + AI_META_EXTRA, split),
        n,
        "benign_trigger",
        "user",
        "multi",
        "ai_meta",
    )


def trigger_words(rng: random.Random, split: str, n: int) -> list[Sample]:
    en, ml = pick_templates(TRIGGER, split), pick_templates(TRIGGER_ML, split)
    k = n * 3 // 4
    return _mk(rng, en, k, "benign_trigger", "user", "en", "trigger") + _mk(
        rng, ml, n - k, "benign_trigger", "user", "multi", "trigger_ml"
    )


def customer_multilingual(rng: random.Random, split: str, n: int) -> list[Sample]:
    # the split is over the combined list's order, as it has always been
    pool = pick_templates(CUSTOMER_ML + CUSTOMER_ML_MORE, split)
    return draw(
        rng,
        pool,
        n,
        slots=S,
        label=0,
        kind="benign_customer",
        role="user",
        source="synth:customer_ml",
    )


def documents(rng: random.Random, split: str, n: int) -> list[Sample]:
    groups = [
        (EMAILS, "email"),
        (EMAILS_ML + EMAILS_ML_MORE, "email_ml"),
        (CODE + CODE_MORE, "code"),
        (TICKETS, "ticket"),
        (TABLES, "table"),
    ]
    out: list[Sample] = []
    for i in range(n):
        if i % 6 == 5:
            out.append(
                Sample(
                    text=table(rng, split),
                    label=0,
                    kind="benign_document",
                    role="document",
                    lang="en",
                    source="synth:table_gen",
                )
            )
            continue
        if i % 6 in (3, 4):
            text = fill(email(rng, split), S, rng)
            out.append(
                Sample(
                    text=text,
                    label=0,
                    kind="benign_document",
                    role="document",
                    lang="en",
                    source="synth:email_gen",
                )
            )
            continue
        templates, src = groups[i % len(groups)]
        out += _mk(
            rng,
            pick_templates(templates, split),
            1,
            "benign_document",
            "document",
            "multi" if src.endswith("ml") else "en",
            src,
        )
    return out


def general(rng: random.Random, split: str, n: int) -> list[Sample]:
    return _mk(
        rng,
        pick_templates(QUESTIONS + GENERAL_MORE, split),
        n,
        "benign_general",
        "user",
        "en",
        "general",
    )


BENIGN_SETS = {
    "benign_trigger": trigger_words,
    "benign_customer_ml": customer_multilingual,
    "benign_documents": documents,
    "benign_general": general,
    "benign_short": short_turns,
    "benign_ai_meta": ai_meta,
    "benign_urgent": urgent_honest,
    "benign_banking": customer_composed,
    "benign_requests": requests,
    "benign_trigger_genres": trigger_genres,
}
