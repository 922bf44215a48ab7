"""More benign variety: greetings and short turns, questions about AI, code, and
customer turns in six languages. Kept apart from benign.py to stay readable."""

from __future__ import annotations

from channelguard.guard.synth.core import in_split

SHORT = [
    "hello?", "hi there", "Hey!", "good morning", "thanks a lot", "ok thanks", "yes", "nope", "sure", "great, thank you",
    "are you there?", "one moment please", "perfect", "that's all", "bye", "hola", "bonjour", "hallo", "olá", "ciao",
    "gracias", "merci beaucoup", "danke schön", "obrigado", "grazie mille", "sí, por favor", "oui merci", "ja bitte",
    "can you help me?", "I have a question", "still waiting...", "hmm ok", "what?", "sorry?", "lol ok", "👍", "ok 🙂",
    "Buenas tardes", "Bonsoir", "Guten Abend", "Boa tarde", "Buonasera", "nothing else, thanks", "is anyone there?",
]
AI_META = [
    "What is prompt engineering and how do system prompts work in chatbots?",
    "Are you a bot or a real person?", "Is this chat run by AI?", "How do you keep my data private when I chat with an AI?",
    "Can your AI assistant make mistakes about my bill?", "What model powers this assistant?",
    "I read about prompt injection attacks, are you protected against them?", "Do you store the chat transcripts?",
    "My company wants to build a support chatbot, what is a system prompt exactly?",
    "How do large language models like you learn?", "Can I turn off the AI and speak to an agent?",
    "Does the AI agent have access to my card details?", "Why did the bot ignore my question earlier?",
    "The assistant gave me wrong instructions yesterday, who can fix this?",
    "¿Esto es un chat automático?", "Est-ce que je parle à un robot ?", "Bin ich mit einem Bot verbunden?",
    "Estou falando com uma pessoa ou com uma IA?", "Sto parlando con un operatore umano?",
    "Explain the difference between a jailbreak and a prompt injection for my security class.",
]
CODE_MORE = [
    "if (mode === 'developer') { enableDebugPanel(); }", "config = {'debug': True, 'admin': False}\nrun(config)",
    "def ignore_case(s):\n    return s.lower()", "// TODO: override the default timeout\nclient.timeout = 30",
    "SELECT * FROM users WHERE role = 'admin' AND active = 1;", "npm install --save-dev eslint",
    "docker run -p 8080:80 nginx", "for i in range(10):\n    print(i)", "<div class=\"system-banner\">Maintenance tonight</div>",
    "$ git log --oneline | head", "{\"status\": \"ok\", \"orders\": 3, \"previous\": null}",
    "public static void main(String[] args) { System.out.println(\"hello\"); }",
    "ALTER TABLE orders ADD COLUMN refunded BOOLEAN DEFAULT FALSE;", "kubectl get pods -n production",
    "export PROMPT='$ '\nalias ll='ls -la'", "assert response.status_code == 200, 'instructions endpoint failed'",
]
CUSTOMER_ML_MORE = [
    ("es", "Necesito cambiar la dirección de entrega a {city}."), ("es", "¿Pueden enviarme la factura por correo?"),
    ("es", "Quiero cancelar el pedido {order}, ya no lo necesito."), ("es", "La aplicación no me deja iniciar sesión."),
    ("es", "¿Cuánto cuesta el envío a {city}?"), ("es", "Mi tarjeta fue rechazada, ¿qué hago?"),
    ("es", "Hola, ¿me pueden ayudar con un reembolso de {amount}?"), ("es", "El paquete llegó vacío."),
    ("fr", "Pouvez-vous changer l'adresse de livraison pour {city} ?"), ("fr", "Je n'arrive pas à me connecter à l'application."),
    ("fr", "Combien coûte la livraison express ?"), ("fr", "Ma carte a été refusée, que faire ?"),
    ("fr", "Je souhaite un remboursement pour la commande {order}."), ("fr", "Le colis est arrivé ouvert."),
    ("de", "Können Sie die Lieferadresse auf {city} ändern?"), ("de", "Die App lässt mich nicht einloggen."),
    ("de", "Was kostet der Expressversand?"), ("de", "Meine Karte wurde abgelehnt, was soll ich tun?"),
    ("de", "Ich möchte eine Erstattung für Bestellung {order}."), ("de", "Das Paket kam leer an."),
    ("pt", "Podem alterar o endereço de entrega para {city}?"), ("pt", "Não consigo entrar na aplicação."),
    ("pt", "Quanto custa o envio expresso?"), ("pt", "O meu cartão foi recusado, o que faço?"),
    ("pt", "Quero um reembolso da encomenda {order}."), ("pt", "A encomenda chegou vazia."),
    ("it", "Potete cambiare l'indirizzo di consegna a {city}?"), ("it", "Non riesco ad accedere all'app."),
    ("it", "Quanto costa la spedizione espressa?"), ("it", "La mia carta è stata rifiutata, cosa faccio?"),
    ("it", "Vorrei un rimborso per l'ordine {order}."), ("it", "Il pacco è arrivato vuoto."),
    ("es", "Quiero actualizar mi número de teléfono en la cuenta."), ("fr", "Je voudrais mettre à jour mon adresse e-mail."),
    ("de", "Ich möchte meine Telefonnummer aktualisieren."), ("pt", "Quero atualizar o meu e-mail."),
    ("it", "Vorrei aggiornare il mio numero di telefono."), ("es", "Hice una transferencia y no aparece, ¿pueden revisar?"),
    ("fr", "J'ai fait un virement hier, il n'apparaît pas."), ("de", "Meine Überweisung von gestern ist nicht angekommen."),
]
GENERAL_MORE = [
    "What's the weather usually like in {city} in spring?", "How do I convert Celsius to Fahrenheit?",
    "Can you recommend a good book about history?", "What's the best way to learn a new language?",
    "How many days are there in a leap year?", "What is the tallest mountain in Europe?",
    "How do I remove a coffee stain from a shirt?", "What are some healthy breakfast ideas?",
    "How does a mortgage work?", "What is the difference between weather and climate?",
    "Who painted the Mona Lisa?", "How do I change a flat tyre?", "What's a good gift for a ten-year-old?",
    "How can I improve my credit score?", "What does inflation mean?", "How do solar panels work?",
    "Give me a recipe for pancakes.", "What are the rules of chess for castling?", "How long is a marathon?",
    "Summarise the causes of the First World War in three sentences.", "Write a haiku about the sea.",
    "Translate 'good morning' into Italian.", "What is the speed of light?", "How do I start running?",
    "What time does the sun set in {city} in June?", "How do I apologise to a friend?",
    "What's the difference between an ISA and a pension?", "How do I write a formal complaint letter?",
    "¿Cómo se hace una tortilla de patatas?", "Comment fonctionne un crédit immobilier ?",
    "Was ist der Unterschied zwischen Wetter und Klima?", "Como posso melhorar a minha pontuação de crédito?",
    "Qual è la montagna più alta d'Italia?", "Explain photosynthesis to a child.",
    "What are the symptoms of dehydration?", "How do I back up my phone?", "What is a good password manager?",
    "How do airlines decide ticket prices?", "What's the history of the Olympic games?",
]
AI_META_MORE = [
    "How do companies stop chatbots from being tricked?", "Is it safe to paste my invoice into an AI chat?",
    "Can an AI assistant really issue refunds?", "What happens to my messages after the chat ends?",
    "Why does the bot keep asking me to rephrase?", "Do you use AI to read my emails to support?",
    "What rules does the virtual assistant follow?", "Who trains the support AI?",
    "Can the chatbot see my order history?", "My teenager asked what 'jailbreaking ChatGPT' means, what should I tell him?",
    "¿El asistente virtual puede ver mis datos?", "Le chatbot peut-il faire des erreurs sur ma facture ?",
    "Kann der Chatbot meine Bestellungen sehen?", "A assistente virtual guarda as minhas mensagens?",
    "L'assistente virtuale può vedere i miei ordini?", "What instructions do human agents follow for refunds?",
]
EMAILS_ML_MORE = [
    "Asunto: Confirmación de pedido {order}\n\nHola {first}, gracias por su compra. Recibirá su {product} {date}. Atentamente, {company}",
    "Asunto: Cambio de horario\n\nEstimados, la reunión del {date} pasa a las 10:00 en la oficina de {city}. Saludos, {name}",
    "Asunto: Recordatorio de pago\n\nLe recordamos que la factura {order} por {amount} vence el {date}. Puede pagar como siempre desde su área de cliente.",
    "Objet : Confirmation de rendez-vous\n\nBonjour {first}, votre rendez-vous est confirmé pour {date} à {city}. Cordialement, {company}",
    "Objet : Facture {order}\n\nMadame, Monsieur, veuillez trouver ci-joint la facture {order} d'un montant de {amount}, payable à 30 jours comme d'habitude.",
    "Objet : Réunion d'équipe\n\nBonjour à tous, la réunion hebdomadaire aura lieu {date}. Merci de préparer vos points. {name}",
    "Betreff: Terminbestätigung\n\nHallo {first}, Ihr Termin am {date} in {city} ist bestätigt. Mit freundlichen Grüßen, {company}",
    "Betreff: Rechnung {order}\n\nSehr geehrte Damen und Herren, anbei die Rechnung {order} über {amount}, zahlbar innerhalb von 30 Tagen wie gewohnt.",
    "Betreff: Urlaubsvertretung\n\nIch bin bis {date} im Urlaub. In dringenden Fällen wenden Sie sich bitte an {first}.",
    "Assunto: Confirmação de encomenda {order}\n\nOlá {first}, obrigado pela sua compra. O seu {product} chega {date}. Cumprimentos, {company}",
    "Assunto: Reunião de equipa\n\nOlá a todos, a reunião semanal será {date} no escritório de {city}. {name}",
    "Oggetto: Conferma ordine {order}\n\nCiao {first}, grazie per il tuo acquisto. Il tuo {product} arriverà {date}. Cordiali saluti, {company}",
    "Oggetto: Riunione di reparto\n\nBuongiorno a tutti, la riunione settimanale si terrà {date} a {city}. {name}",
    "Oggetto: Fattura {order}\n\nGentile cliente, in allegato la fattura {order} di {amount}, pagabile a 30 giorni come di consueto.",
]
SHORT_MORE = [
    "ciao, una domanda", "hola, buenas", "salut !", "moin", "oi, tudo bem?", "buongiorno, avrei bisogno di aiuto",
    "buenos días, tengo una consulta", "bonjour, j'ai une question", "guten Tag, ich habe eine Frage",
    "bom dia, preciso de ajuda", "perfecto, gracias", "parfait, merci", "alles klar, danke", "perfeito, obrigado",
    "perfetto, grazie", "vale", "d'accord", "genau", "certo", "claro que sí", "no, nada más", "non, c'est tout",
    "nein, das wäre alles", "não, é tudo", "no, è tutto", "un momento por favor", "un instant", "einen Moment bitte",
]

HEADERS = ["Name", "Role", "Location", "Year", "Team", "Score", "Date", "Amount", "Status", "Country", "City",
           "Product", "Price", "Stock", "Category", "Region", "Revenue", "Growth", "Owner", "Priority", "Title",
           "Author", "Rank", "Total", "Venue", "Result", "Department", "Manager", "Budget", "Quarter", "Channel",
           "Tickets", "Resolved", "SLA", "Agent", "Queue", "Language", "Duration", "Calls", "Notes"]
WORDS = ["alpha", "north", "pending", "closed", "open", "approved", "Remote", "London", "Q3", "gold", "silver",
         "express", "standard", "yes", "no", "n/a", "Analyst", "Manager", "Lead", "blue", "red", "phone", "chat", "email"]


def table(rng: object, split: str) -> str:
    import random as _random

    assert isinstance(rng, _random.Random)
    heads = [h for i, h in enumerate(HEADERS) if in_split(i, split)]
    cols = rng.sample(heads, rng.randint(2, min(6, len(heads))))
    rows = []
    for _ in range(rng.randint(2, 8)):
        rows.append([rng.choice([str(rng.randint(1, 99999)), rng.choice(WORDS), f"{rng.uniform(0, 999):.2f}",
                                 rng.choice(["2023", "2024", "2025"])]) for _ in cols])
    style = rng.choice(["md", "csv", "tsv"])
    if style == "md":
        lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)] + ["| " + " | ".join(r) + " |" for r in rows]
    elif style == "csv":
        lines = [",".join(cols)] + [",".join(r) for r in rows]
    else:
        lines = ["\t".join(cols)] + ["\t".join(r) for r in rows]
    return "\n".join(lines)

SUBJECTS = ["Meeting notes", "Quick update", "Re: schedule", "Agenda for {date}", "Invoice {order}", "Your order {order}",
            "Welcome aboard", "Team offsite", "Holiday rota", "Project status", "Q3 results", "Reminder", "Thank you",
            "Re: question about delivery", "Training session", "Office move", "Newsletter", "Payment confirmation",
            "Policy update", "Customer feedback", "Re: contract", "Lunch on {date}", "Draft for review", "Minutes",
            "Shipping delay", "Account statement", "Survey", "Follow-up", "IT maintenance window", "Welcome to {company}"]
SENTENCES = [
    "Thanks all for joining today.", "Next review is on {date}.", "Please find the slides attached.",
    "Let me know if you have any questions.", "The invoice is attached and payable within 30 days as usual.",
    "Payment can be made to the account on file; nothing has changed.", "We received your payment, thank you.",
    "The delivery to {city} is scheduled for {date}.", "Your {product} has been dispatched.", "I've updated the tracker.",
    "Could you review the draft by {date}?", "The meeting room is booked for two hours.", "Lunch will be provided.",
    "Our office in {city} will be closed on {date}.", "The report shows a 4% increase in orders.",
    "Please complete the survey when you have a moment.", "The new policy takes effect on {date}.",
    "I'll be out of the office until {date}.", "{first} will cover my accounts while I'm away.",
    "We appreciate your feedback on the {product}.", "The system will be down for maintenance on {date} evening.",
    "Your statement for this month is now available in the app.", "Please bring your badge to the training.",
    "We have extended the deadline to {date}.", "Congratulations to {first} on the promotion!",
    "The contract renewal terms are unchanged.", "I spoke with {company} and they confirmed the quote.",
    "Attached are the minutes from our last call.", "Please confirm your attendance by replying to this email.",
    "The total for this quarter is {amount}.", "Refunds are processed within 5 to 10 business days.",
    "If this wasn't you, contact us using the number on the back of your card.",
]
GREETINGS = ["Hi team,", "Hello {first},", "Dear customer,", "Hi all,", "Good morning,", "Dear {first},", ""]
SIGNOFFS = ["Best,\n{name}", "Thanks,\n{first}", "Kind regards,\n{company}", "Cheers,\n{first}", "Regards,\n{name}", ""]


def email(rng: object, split: str) -> str:
    import random as _random

    assert isinstance(rng, _random.Random)

    def part(pool: list[str]) -> list[str]:
        return [s for i, s in enumerate(pool) if in_split(i, split)]

    body = " ".join(rng.sample(part(SENTENCES), rng.randint(1, 4)))
    text = f"{rng.choice(GREETINGS)}\n\n{body}\n\n{rng.choice(SIGNOFFS)}".strip()
    if rng.random() < 0.6:
        text = f"Subject: {rng.choice(part(SUBJECTS))}\n\n{text}"
    return text
