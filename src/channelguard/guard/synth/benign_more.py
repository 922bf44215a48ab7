"""More benign variety: greetings and short turns, questions about AI, code, and
customer turns in six languages. Kept apart from benign.py to stay readable."""

from __future__ import annotations

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
