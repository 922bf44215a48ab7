"""Scam calls and urgent-but-honest calls, composed from parts.

A vishing call is a claimed identity with a story, a request that moves money,
credentials or contact details, and pressure that argues the control away
(urgency, secrecy, authority, "skip the check just this once"). Each part is a
list per language and every list is split by index (core.pick_templates), so a
held-out call combines a story, a request and a pressure line that training
never saw. The honest counterpart is just as urgent (a stolen card, a
bereavement, a trip) but accepts the control: that is the hard negative.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from training.synth.core import Sample, draw, fill, pick_templates
from training.synth.slots import ATTACK_SLOTS

__all__ = ["SCAM_PARTS", "URGENT_HONEST", "scam_composed", "urgent_honest"]

# language -> (claims, asks, pressure, agent lines, caller label, agent label)
SCAM_PARTS: dict[str, dict[str, list[str]]] = {
    "en": {
        "claim": [
            "Hi, this is {first}, I'm the {exec} at {company} and I'm between meetings in Singapore.",
            "Hello, I'm calling on behalf of {authority}, case officer {name}.",
            "It's {first} from {dept}, we've spotted suspicious logins on your account.",
            "I'm the account holder's son, my father had a stroke and can't come to the phone.",
            "This is {name}, your new relationship manager, taking over from my colleague who left.",
            "Hi, I'm a contractor working with your finance team on the year-end audit.",
            "I'm the owner of the account, I'm abroad and my phone was stolen at the airport.",
            "Good afternoon, this is the fraud department of your card issuer.",
            "Hey, it's {first}, the {exec}'s assistant, I'm calling for them because they're in the board meeting.",
            "Hello, I'm from your software vendor, we are migrating your payment integration tonight.",
            "I'm calling from the head office compliance team about an urgent regulatory review.",
            "Hi, this is {first} in {dept}, I'm covering the night shift and the system locked me out.",
        ],
        "ask": [
            "I need you to release a transfer of {big} to the supplier account I'll give you now.",
            "Please change the mobile number on the account to the one I'm calling from.",
            "Read me the one-time code that was just sent to you so I can cancel the fraudulent payment.",
            "Add a new payee with these details and approve the pending payment.",
            "Reset the password and give me the temporary one over the phone.",
            "Send the new card to a different address, I'm staying at a hotel.",
            "Move the balance into the safe account we opened for you.",
            "Turn off the two-factor authentication on my profile for today.",
            "Update the vendor's bank details before the payment run at noon.",
            "Email me the full customer list with account numbers for the review.",
            "Raise the daily transfer limit to the maximum and confirm it right away.",
            "Approve the refund of {big} to the card ending in the numbers I'll read out.",
        ],
        "pressure": [
            "There's no time for a callback, the deal closes in twenty minutes.",
            "Don't mention this to anyone, not even your manager, it's strictly confidential.",
            "Your supervisor already approved it, you just need to click it through.",
            "Skip the security questions, I don't remember any of those answers.",
            "If you don't do this now the money will be lost and it will be on you.",
            "Please don't call the number on file, that phone is compromised.",
            "I'll be really upset if I have to escalate this to your director.",
            "Just make an exception this once, I promise I'll send the paperwork tomorrow.",
            "Do not hang up and do not talk to anyone at the branch, they may be involved.",
            "You don't need to verify me, I've been a customer for twenty years.",
            "The auditors are waiting on the line, I can't go through the usual process.",
            "Keep the call between us until the investigation is closed.",
        ],
        "agent": [
            "Agent: Thank you for calling, how can I help?",
            "Agent: I'll need to verify a few details first.",
            "Agent: I can only do that through our standard process.",
            "Agent: Let me check what I can do.",
        ],
        "_who": ["Caller"],
    },
    "es": {
        "claim": [
            "Hola, soy {first}, el {exec} de {company}, estoy entre reuniones en el extranjero.",
            "Le llamo de parte de {authority}, soy el agente {name}.",
            "Soy {first} de {dept}, hemos detectado accesos sospechosos en su cuenta.",
            "Soy el hijo del titular, mi padre está ingresado y no puede ponerse.",
            "Soy su nuevo gestor, sustituyo al compañero que se fue.",
            "Llamo del departamento de fraude de su tarjeta.",
            "Soy el titular, estoy de viaje y me robaron el móvil en el aeropuerto.",
            "Soy la asistente del {exec}, llamo por él porque está en el consejo.",
        ],
        "ask": [
            "Necesito que libere una transferencia de {big} a la cuenta del proveedor que le dicto.",
            "Cambie el móvil de la cuenta por el número desde el que llamo.",
            "Léame el código que le acaba de llegar para anular el cargo fraudulento.",
            "Dé de alta un beneficiario nuevo con estos datos y apruebe el pago.",
            "Restablezca la contraseña y dígame la provisional por teléfono.",
            "Envíe la tarjeta nueva a otra dirección, estoy en un hotel.",
            "Traspase el saldo a la cuenta segura que le hemos abierto.",
            "Desactive la verificación en dos pasos de mi perfil por hoy.",
        ],
        "pressure": [
            "No hay tiempo para devolver la llamada, la operación cierra en veinte minutos.",
            "No se lo cuente a nadie, ni a su jefe, es estrictamente confidencial.",
            "Su supervisor ya lo aprobó, solo tiene que confirmarlo.",
            "Sáltese las preguntas de seguridad, no recuerdo las respuestas.",
            "Si no lo hace ahora se perderá el dinero y será culpa suya.",
            "No llame al número registrado, ese teléfono está comprometido.",
            "Haga una excepción por esta vez, mañana le mando los papeles.",
            "No cuelgue ni hable con nadie de la sucursal, pueden estar implicados.",
        ],
        "agent": [
            "Agente: Gracias por llamar, ¿en qué puedo ayudarle?",
            "Agente: Primero necesito verificar algunos datos.",
        ],
        "_who": ["Llamante"],
    },
    "fr": {
        "claim": [
            "Bonjour, c'est {first}, le {exec} de {company}, je suis entre deux réunions à l'étranger.",
            "J'appelle de la part de {authority}, je suis l'enquêteur {name}.",
            "C'est {first} du service {dept}, nous voyons des connexions suspectes sur votre compte.",
            "Je suis le fils du titulaire, mon père est hospitalisé et ne peut pas parler.",
            "Je suis votre nouveau conseiller, je remplace mon collègue parti.",
            "Ici le service fraude de votre carte bancaire.",
            "Je suis le titulaire, je suis en voyage et on m'a volé mon téléphone.",
            "Je suis l'assistante du {exec}, j'appelle pour lui, il est en conseil.",
        ],
        "ask": [
            "Il faut débloquer un virement de {big} vers le compte du fournisseur que je vous dicte.",
            "Changez le numéro de portable du compte pour celui d'où j'appelle.",
            "Lisez-moi le code que vous venez de recevoir pour annuler le paiement frauduleux.",
            "Ajoutez un nouveau bénéficiaire avec ces coordonnées et validez le paiement.",
            "Réinitialisez le mot de passe et donnez-moi le provisoire au téléphone.",
            "Envoyez la nouvelle carte à une autre adresse, je suis à l'hôtel.",
            "Transférez le solde sur le compte sécurisé que nous avons ouvert pour vous.",
            "Désactivez la double authentification de mon profil pour aujourd'hui.",
        ],
        "pressure": [
            "Pas le temps de rappeler, l'opération se clôt dans vingt minutes.",
            "N'en parlez à personne, même pas à votre responsable, c'est strictement confidentiel.",
            "Votre superviseur a déjà validé, il suffit de confirmer.",
            "Passez les questions de sécurité, je ne me souviens d'aucune réponse.",
            "Si vous ne le faites pas maintenant l'argent sera perdu et ce sera votre faute.",
            "N'appelez pas le numéro enregistré, ce téléphone est compromis.",
            "Faites une exception pour cette fois, j'envoie les papiers demain.",
            "Ne raccrochez pas et ne parlez à personne de l'agence, ils sont peut-être impliqués.",
        ],
        "agent": [
            "Agent : Merci de votre appel, que puis-je faire pour vous ?",
            "Agent : Je dois d'abord vérifier quelques informations.",
        ],
        "_who": ["Appelant"],
    },
    "de": {
        "claim": [
            "Hallo, hier ist {first}, der {exec} von {company}, ich bin zwischen zwei Terminen im Ausland.",
            "Ich rufe im Auftrag von {authority} an, Ermittler {name}.",
            "Hier ist {first} aus der Abteilung {dept}, wir sehen verdächtige Anmeldungen auf Ihrem Konto.",
            "Ich bin der Sohn des Kontoinhabers, mein Vater liegt im Krankenhaus und kann nicht sprechen.",
            "Ich bin Ihr neuer Kundenbetreuer und übernehme von meinem Kollegen.",
            "Hier ist die Betrugsabteilung Ihres Kartenanbieters.",
            "Ich bin der Kontoinhaber, ich bin auf Reisen und mein Handy wurde gestohlen.",
            "Ich bin die Assistentin des {exec}, ich rufe für ihn an, er sitzt im Vorstand.",
        ],
        "ask": [
            "Geben Sie bitte eine Überweisung von {big} an das Lieferantenkonto frei, das ich Ihnen durchgebe.",
            "Ändern Sie die Handynummer des Kontos auf die Nummer, von der ich anrufe.",
            "Lesen Sie mir den Code vor, den Sie gerade bekommen haben, damit ich die Abbuchung stoppe.",
            "Legen Sie einen neuen Empfänger mit diesen Daten an und geben Sie die Zahlung frei.",
            "Setzen Sie das Passwort zurück und nennen Sie mir das vorläufige am Telefon.",
            "Schicken Sie die neue Karte an eine andere Adresse, ich wohne im Hotel.",
            "Überweisen Sie das Guthaben auf das sichere Konto, das wir für Sie eröffnet haben.",
            "Schalten Sie die Zwei-Faktor-Anmeldung meines Profils für heute ab.",
        ],
        "pressure": [
            "Für einen Rückruf ist keine Zeit, der Abschluss ist in zwanzig Minuten.",
            "Sagen Sie niemandem etwas davon, auch nicht Ihrem Chef, das ist streng vertraulich.",
            "Ihr Vorgesetzter hat es schon genehmigt, Sie müssen nur bestätigen.",
            "Lassen Sie die Sicherheitsfragen weg, ich weiß die Antworten nicht mehr.",
            "Wenn Sie das nicht sofort machen, ist das Geld weg und Sie sind schuld.",
            "Rufen Sie nicht die hinterlegte Nummer an, das Telefon ist kompromittiert.",
            "Machen Sie dieses eine Mal eine Ausnahme, die Unterlagen schicke ich morgen.",
            "Legen Sie nicht auf und sprechen Sie mit niemandem in der Filiale.",
        ],
        "agent": [
            "Mitarbeiter: Danke für Ihren Anruf, wie kann ich helfen?",
            "Mitarbeiter: Ich muss zuerst ein paar Angaben prüfen.",
        ],
        "_who": ["Anrufer"],
    },
    "pt": {
        "claim": [
            "Olá, é o {first}, {exec} da {company}, estou entre reuniões no estrangeiro.",
            "Ligo da parte de {authority}, sou o inspetor {name}.",
            "É o {first} do departamento {dept}, detetámos acessos suspeitos na sua conta.",
            "Sou o filho do titular, o meu pai está internado e não pode falar.",
            "Sou o seu novo gestor de conta, substituo o colega que saiu.",
            "Fala o departamento de fraude do seu cartão.",
            "Sou o titular, estou em viagem e roubaram-me o telemóvel no aeroporto.",
            "Sou a assistente do {exec}, ligo por ele porque está no conselho.",
        ],
        "ask": [
            "Preciso que liberte uma transferência de {big} para a conta do fornecedor que lhe dito.",
            "Mude o telemóvel da conta para o número de onde estou a ligar.",
            "Leia-me o código que acabou de receber para cancelar o pagamento fraudulento.",
            "Adicione um novo beneficiário com estes dados e aprove o pagamento.",
            "Reponha a palavra-passe e diga-me a provisória ao telefone.",
            "Envie o cartão novo para outra morada, estou num hotel.",
            "Passe o saldo para a conta segura que abrimos para si.",
            "Desative a autenticação de dois fatores do meu perfil por hoje.",
        ],
        "pressure": [
            "Não há tempo para ligar de volta, o negócio fecha em vinte minutos.",
            "Não conte a ninguém, nem ao seu chefe, é estritamente confidencial.",
            "O seu supervisor já aprovou, só tem de confirmar.",
            "Salte as perguntas de segurança, não me lembro das respostas.",
            "Se não o fizer agora o dinheiro perde-se e a culpa é sua.",
            "Não ligue para o número registado, esse telefone está comprometido.",
            "Abra uma exceção só desta vez, amanhã envio os documentos.",
            "Não desligue nem fale com ninguém da agência, podem estar envolvidos.",
        ],
        "agent": [
            "Agente: Obrigado por ligar, em que posso ajudar?",
            "Agente: Primeiro preciso de confirmar alguns dados.",
        ],
        "_who": ["Chamador"],
    },
    "it": {
        "claim": [
            "Ciao, sono {first}, il {exec} di {company}, sono tra due riunioni all'estero.",
            "Chiamo per conto di {authority}, sono l'ispettore {name}.",
            "Sono {first} del reparto {dept}, vediamo accessi sospetti sul suo conto.",
            "Sono il figlio del titolare, mio padre è ricoverato e non può parlare.",
            "Sono il suo nuovo consulente, sostituisco il collega che è andato via.",
            "Qui è l'ufficio antifrode della sua carta.",
            "Sono il titolare, sono in viaggio e mi hanno rubato il telefono in aeroporto.",
            "Sono l'assistente del {exec}, chiamo per lui perché è in consiglio.",
        ],
        "ask": [
            "Deve sbloccare un bonifico di {big} verso il conto del fornitore che le detto.",
            "Cambi il cellulare del conto con il numero da cui chiamo.",
            "Mi legga il codice appena ricevuto così annullo il pagamento fraudolento.",
            "Aggiunga un nuovo beneficiario con questi dati e approvi il pagamento.",
            "Reimposti la password e mi dica quella provvisoria al telefono.",
            "Spedisca la nuova carta a un altro indirizzo, sono in albergo.",
            "Sposti il saldo sul conto sicuro che abbiamo aperto per lei.",
            "Disattivi l'autenticazione a due fattori del mio profilo per oggi.",
        ],
        "pressure": [
            "Non c'è tempo per richiamare, l'operazione si chiude tra venti minuti.",
            "Non lo dica a nessuno, nemmeno al suo capo, è strettamente riservato.",
            "Il suo supervisore ha già approvato, deve solo confermare.",
            "Salti le domande di sicurezza, non ricordo le risposte.",
            "Se non lo fa subito i soldi andranno persi e sarà colpa sua.",
            "Non chiami il numero registrato, quel telefono è compromesso.",
            "Faccia un'eccezione solo per questa volta, domani mando i documenti.",
            "Non riattacchi e non parli con nessuno della filiale, potrebbero essere coinvolti.",
        ],
        "agent": [
            "Operatore: Grazie per aver chiamato, come posso aiutarla?",
            "Operatore: Prima devo verificare alcuni dati.",
        ],
        "_who": ["Chiamante"],
    },
}

# Honest urgent calls: the same stakes, and the caller accepts the control.
URGENT_HONEST: dict[str, list[str]] = {
    "en": [
        "My card was stolen an hour ago, please block it right away and tell me what I need to do next.",
        "I'm travelling and my phone was stolen, how can I verify myself so you can freeze my account?",
        "My father passed away last week. What documents do you need from me to close his account?",
        "I think I was scammed, someone called pretending to be you and I gave them a code. Can you lock my account?",
        "Urgent: I sent a payment to the wrong account this morning, can you help me recall it?",
        "I'm the CEO's assistant; he asked me to tell finance that the wire needs the usual callback before noon.",
        "Please call me back on the number you have on file, I want to confirm this transfer is real.",
        "I got a text saying my account is suspended, is that really from you? I didn't click the link.",
        "I need to change my phone number, I'm happy to go through the security questions.",
        "My mother is in hospital and asked me to help with her bills. What's the proper way to get authority?",
        "I'm locked out after too many attempts. Can you send a reset to the email on my account?",
        "A supplier e-mailed new bank details. I'm calling to check them with you before paying anything.",
        "We need the payment out today, but I'll wait for the second approver as the policy says.",
        "I lost my wallet, cancel both cards please, I'll answer whatever you need to confirm it's me.",
        "Someone from 'the police' told me to move my savings. I didn't, I'm calling you to report it.",
        "I'm abroad and the card is declined. Can you verify me through the app and lift the block?",
    ],
    "es": [
        "Me robaron la tarjeta hace una hora, bloquéela ya por favor y dígame qué hago ahora.",
        "Mi padre falleció la semana pasada, ¿qué documentos necesitan para cerrar su cuenta?",
        "Creo que me estafaron, me llamaron haciéndose pasar por ustedes. ¿Pueden bloquear mi cuenta?",
        "Necesito cambiar mi número de teléfono, no me importa responder las preguntas de seguridad.",
        "Un proveedor nos envió una cuenta nueva por correo, llamo para confirmarla antes de pagar.",
        "Estoy en el extranjero y la tarjeta no funciona, ¿pueden verificarme por la app?",
        "Envié un pago a la cuenta equivocada esta mañana, ¿pueden ayudarme a recuperarlo?",
        "Perdí la cartera, cancelen las dos tarjetas, respondo lo que necesiten para comprobar que soy yo.",
    ],
    "fr": [
        "On m'a volé ma carte il y a une heure, bloquez-la tout de suite s'il vous plaît.",
        "Mon père est décédé la semaine dernière, quels documents faut-il pour clôturer son compte ?",
        "Je crois que j'ai été arnaqué, quelqu'un s'est fait passer pour vous. Pouvez-vous bloquer mon compte ?",
        "Je dois changer mon numéro de téléphone, je veux bien répondre aux questions de sécurité.",
        "Un fournisseur nous a envoyé un nouveau RIB par e-mail, je vous appelle pour le vérifier avant de payer.",
        "Je suis à l'étranger et ma carte est refusée, pouvez-vous me vérifier par l'application ?",
        "J'ai envoyé un virement sur le mauvais compte ce matin, pouvez-vous m'aider à le récupérer ?",
        "J'ai perdu mon portefeuille, annulez les deux cartes, je réponds à vos questions de vérification.",
    ],
    "de": [
        "Meine Karte wurde vor einer Stunde gestohlen, bitte sperren Sie sie sofort.",
        "Mein Vater ist letzte Woche gestorben, welche Unterlagen brauchen Sie, um sein Konto aufzulösen?",
        "Ich glaube, ich wurde betrogen, jemand hat sich als Ihre Bank ausgegeben. Können Sie mein Konto sperren?",
        "Ich muss meine Telefonnummer ändern, die Sicherheitsfragen beantworte ich gern.",
        "Ein Lieferant hat neue Bankdaten gemailt, ich rufe an, um sie vor der Zahlung zu prüfen.",
        "Ich bin im Ausland und die Karte wird abgelehnt, können Sie mich über die App verifizieren?",
        "Ich habe heute Morgen an das falsche Konto überwiesen, können Sie mir helfen, das Geld zurückzuholen?",
        "Ich habe meine Geldbörse verloren, sperren Sie beide Karten, ich beantworte alle Prüffragen.",
    ],
    "pt": [
        "Roubaram-me o cartão há uma hora, bloqueiem-no já por favor.",
        "O meu pai faleceu na semana passada, que documentos precisam para encerrar a conta dele?",
        "Acho que fui burlado, alguém ligou a fingir ser o banco. Podem bloquear a minha conta?",
        "Preciso de mudar o meu número de telefone, respondo às perguntas de segurança.",
        "Um fornecedor enviou um IBAN novo por e-mail, ligo para confirmar antes de pagar.",
        "Estou no estrangeiro e o cartão é recusado, podem verificar-me pela aplicação?",
        "Enviei um pagamento para a conta errada esta manhã, podem ajudar a recuperá-lo?",
        "Perdi a carteira, cancelem os dois cartões, respondo ao que for preciso para confirmar que sou eu.",
    ],
    "it": [
        "Mi hanno rubato la carta un'ora fa, bloccatela subito per favore.",
        "Mio padre è morto la settimana scorsa, quali documenti servono per chiudere il suo conto?",
        "Credo di essere stato truffato, qualcuno ha chiamato fingendosi la banca. Potete bloccare il conto?",
        "Devo cambiare il mio numero di telefono, rispondo volentieri alle domande di sicurezza.",
        "Un fornitore ci ha mandato un IBAN nuovo per e-mail, chiamo per verificarlo prima di pagare.",
        "Sono all'estero e la carta viene rifiutata, potete verificarmi tramite l'app?",
        "Stamattina ho fatto un bonifico sul conto sbagliato, potete aiutarmi a recuperarlo?",
        "Ho perso il portafoglio, annullate entrambe le carte, rispondo a tutte le domande di verifica.",
    ],
}


def _picked(
    table: dict[str, dict[str, list[str]]], split: str, held_apart: tuple[str, ...]
) -> dict[str, dict[str, list[str]]]:
    """Per language, the part lists with the held-apart ones cut to the split's fold."""
    return {
        lang: {k: pick_templates(v, split) if k in held_apart else v for k, v in parts.items()}
        for lang, parts in table.items()
    }


def _call(parts: dict[str, list[str]], rng: random.Random) -> str:
    claim = rng.choice(parts["claim"])
    ask = rng.choice(parts["ask"])
    pressure = rng.sample(parts["pressure"], k=1)[0]
    who = parts["_who"][0]
    shape = rng.random()
    if shape < 0.4:  # one caller turn, as the guard sees it live
        text = " ".join([claim, ask, pressure])
    elif shape < 0.7:  # pressure comes after the agent's objection
        text = "\n".join(
            [
                parts["agent"][0],
                f"{who}: {claim} {ask}",
                rng.choice(parts["agent"][1:]),
                f"{who}: {pressure}",
            ]
        )
    else:  # request and pressure without the story
        text = f"{ask} {pressure}"
    return fill(text, ATTACK_SLOTS, rng)


def _composed(
    rng: random.Random,
    n: int,
    parts: dict[str, dict[str, list[str]]],
    build: Callable[[dict[str, list[str]], random.Random], str],
    *,
    label: int,
    kind: str,
    source: str,
) -> list[Sample]:
    langs = list(parts)
    out = []
    for _ in range(n):
        lang = rng.choice(langs)
        out.append(
            Sample(
                text=build(parts[lang], rng),
                label=label,
                kind=kind,
                role="user",
                lang=lang,
                source=source,
            )
        )
    return out


def scam_composed(rng: random.Random, split: str, n: int) -> list[Sample]:
    parts = _picked(SCAM_PARTS, split, ("claim", "ask", "pressure"))
    return _composed(rng, n, parts, _call, label=1, kind="scam_call", source="synth:scam_composed")


def urgent_honest(rng: random.Random, split: str, n: int) -> list[Sample]:
    pool = [(lang, t) for lang, ts in URGENT_HONEST.items() for t in pick_templates(ts, split)]
    return draw(
        rng,
        pool,
        n,
        slots=ATTACK_SLOTS,
        label=0,
        kind="benign_urgent",
        role="user",
        source="synth:urgent_honest",
    )


# Honest account servicing, composed the same way: the vocabulary of scams
# (codes, payees, limits, phone numbers, transfers) without the pressure.
CUSTOMER_PARTS: dict[str, dict[str, list[str]]] = {
    "en": {
        "open": [
            "Hi,",
            "Hello there.",
            "Good morning,",
            "Quick question:",
            "Hey,",
            "Hi, hope you're well.",
        ],
        "ask": [
            "I haven't received the verification code for my login, can you resend it?",
            "how do I add a new payee in the app?",
            "I'd like to increase my daily card limit for a holiday next month.",
            "can I update my phone number online or do I need to visit a branch?",
            "my transfer of {big} to my savings account hasn't arrived yet.",
            "I moved house, how do I change the address on my account?",
            "is there a fee for international transfers?",
            "the app keeps asking me for a one-time code, is that normal?",
            "I want to set up two-factor authentication on my account.",
            "can you explain the charge from {company} on my statement?",
            "how long does a new card take to arrive?",
            "I forgot my PIN, what's the process to get a new one?",
        ],
        "close": [
            "Thanks!",
            "Thank you.",
            "Happy to verify my identity if needed.",
            "Cheers.",
            "No rush.",
            "",
        ],
    },
    "es": {
        "open": ["Hola,", "Buenos días,", "Una consulta:", "Buenas tardes,"],
        "ask": [
            "no me ha llegado el código de verificación, ¿pueden reenviarlo?",
            "¿cómo añado un beneficiario nuevo en la aplicación?",
            "quiero aumentar el límite de mi tarjeta para un viaje.",
            "¿puedo cambiar mi número de teléfono en la web?",
            "mi transferencia a la cuenta de ahorro no ha llegado.",
            "me he mudado, ¿cómo cambio la dirección de la cuenta?",
            "¿cuánto tarda en llegar la tarjeta nueva?",
            "olvidé mi PIN, ¿cómo consigo uno nuevo?",
        ],
        "close": ["Gracias.", "Muchas gracias.", "Puedo verificar mi identidad si hace falta.", ""],
    },
    "fr": {
        "open": ["Bonjour,", "Bonsoir,", "Petite question :", "Bonjour à vous,"],
        "ask": [
            "je n'ai pas reçu le code de vérification, pouvez-vous le renvoyer ?",
            "comment ajouter un nouveau bénéficiaire dans l'application ?",
            "je voudrais augmenter le plafond de ma carte pour un voyage.",
            "puis-je changer mon numéro de téléphone en ligne ?",
            "mon virement vers mon livret n'est pas encore arrivé.",
            "j'ai déménagé, comment changer l'adresse du compte ?",
            "combien de temps pour recevoir la nouvelle carte ?",
            "j'ai oublié mon code PIN, comment en obtenir un nouveau ?",
        ],
        "close": ["Merci.", "Merci beaucoup.", "Je peux confirmer mon identité si besoin.", ""],
    },
    "de": {
        "open": ["Hallo,", "Guten Tag,", "Kurze Frage:", "Guten Morgen,"],
        "ask": [
            "ich habe den Bestätigungscode nicht bekommen, können Sie ihn erneut senden?",
            "wie lege ich in der App einen neuen Empfänger an?",
            "ich möchte das Limit meiner Karte für eine Reise erhöhen.",
            "kann ich meine Telefonnummer online ändern?",
            "meine Überweisung auf das Sparkonto ist noch nicht angekommen.",
            "ich bin umgezogen, wie ändere ich die Adresse des Kontos?",
            "wie lange dauert es, bis die neue Karte kommt?",
            "ich habe meine PIN vergessen, wie bekomme ich eine neue?",
        ],
        "close": ["Danke.", "Vielen Dank.", "Ich kann mich gern ausweisen.", ""],
    },
    "pt": {
        "open": ["Olá,", "Bom dia,", "Uma pergunta:", "Boa tarde,"],
        "ask": [
            "não recebi o código de verificação, podem reenviar?",
            "como adiciono um novo beneficiário na aplicação?",
            "quero aumentar o limite do cartão para uma viagem.",
            "posso mudar o meu número de telefone online?",
            "a minha transferência para a conta poupança ainda não chegou.",
            "mudei de casa, como altero a morada da conta?",
            "quanto tempo demora o cartão novo a chegar?",
            "esqueci-me do PIN, como obtenho um novo?",
        ],
        "close": [
            "Obrigado.",
            "Muito obrigada.",
            "Posso confirmar a minha identidade se for preciso.",
            "",
        ],
    },
    "it": {
        "open": ["Ciao,", "Buongiorno,", "Una domanda:", "Buonasera,"],
        "ask": [
            "non ho ricevuto il codice di verifica, potete rimandarlo?",
            "come aggiungo un nuovo beneficiario nell'app?",
            "vorrei aumentare il limite della carta per un viaggio.",
            "posso cambiare il mio numero di telefono online?",
            "il mio bonifico sul conto deposito non è ancora arrivato.",
            "ho traslocato, come cambio l'indirizzo del conto?",
            "quanto ci vuole per ricevere la nuova carta?",
            "ho dimenticato il PIN, come ne ottengo uno nuovo?",
        ],
        "close": ["Grazie.", "Grazie mille.", "Posso verificare la mia identità se serve.", ""],
    },
}


def _question(parts: dict[str, list[str]], rng: random.Random) -> str:
    words = [rng.choice(parts["open"]), rng.choice(parts["ask"]), rng.choice(parts["close"])]
    return fill(" ".join(w for w in words if w), ATTACK_SLOTS, rng)


def customer_composed(rng: random.Random, split: str, n: int) -> list[Sample]:
    """Honest banking and account questions in six languages, parts split by index."""
    parts = _picked(CUSTOMER_PARTS, split, ("ask",))
    return _composed(
        rng,
        n,
        parts,
        _question,
        label=0,
        kind="benign_customer",
        source="synth:customer_composed",
    )
