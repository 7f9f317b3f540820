// Catalogue français (vouvoiement, formulations adaptées au Canada). Aucun chiffre ici : les nombres viennent du
// contexte, déjà formatés.
import type { Messages } from './types.js';

const TIERS: Record<string, string> = { bronze: 'Bronze', silver: 'Argent', gold: 'Or', platinum: 'Platine' };
const avec = (carrier?: string): string => (carrier ? ` avec ${carrier}` : '');
/** In French, 0 and 1 take the singular. */
const pts = (n: number): string => (Math.abs(n) < 2 ? 'point' : 'points');

export const fr: Messages = {
  locales: { number: 'fr-CA', date: 'fr-CA', list: 'fr-CA' },

  kbAvoid: /(?<!\p{L})(tu|toi|ton|ta|tes|t’|t')(?!\p{L})/iu,
  tierName: (name) => {
    const local = TIERS[name.toLowerCase()];
    return local && local !== name ? `${local} (${name})` : name;
  },
  topics: {
    greeting: 'une première question',
    general_inquiry: 'les façons de nous joindre',
    order_status: 'le suivi d’une commande',
    order_modification: 'la modification ou l’annulation d’une commande',
    return_request: 'le retour d’un article',
    refund_status: 'un remboursement',
    exchange_request: 'l’échange d’un article',
    product_info: 'un produit',
    product_recommendation: 'des suggestions de produits',
    product_comparison: 'la comparaison de produits',
    shipping_question: 'les frais et délais de livraison',
    loyalty_program: 'vos points de fidélité',
    subscription_management: 'votre abonnement de livraison automatique',
    gift_card: 'les cartes-cadeaux',
    account_help: 'votre compte ou votre mot de passe',
    billing_issue: 'un paiement ou une facturation',
    technical_support: 'un produit qui ne fonctionne pas',
    feedback: 'un commentaire',
    complaint: 'un problème avec votre expérience',
    escalation_request: 'parler à notre équipe',
    b2b_inquiry: 'les comptes de vente en gros',
    out_of_scope: 'autre chose',
  },
  reasons: {
    'espresso-capable': 'une mouture assez fine pour l’espresso',
    'no-electricity': 'aucune électricité nécessaire',
    'universal-voltage': 'fonctionne sur toutes les tensions',
    'temperature-control': 'permet de régler la température exacte de l’eau',
    ultralight: 'ultraléger pour la randonnée',
    travel: 'idéal en voyage',
    camping: 'conçu pour le camping et le plein air',
    insulated: 'garde les boissons chaudes longtemps',
    induction: 'compatible avec l’induction et toutes les cuisinières',
    gift: 'une belle idée cadeau',
    reusable: 'réutilisable, fini les filtres en papier',
    decaf: 'toute la saveur, sans la caféine',
    'caffeine-free': 'sans caféine',
    rechargeable: 'rechargeable, sans piles à acheter',
    timer: 'minuterie intégrée',
    manual: 'manuel et silencieux',
    electric: 'pratique, d’une simple pression',
    'pour-over': 'parfait pour le café filtre versé',
    'french-press': 'parfait pour la cafetière à piston',
    moka: 'un café corsé sur n’importe quelle cuisinière',
    'loose-leaf': 'en vrac, pour une tasse plus riche',
    'medium-roast': 'une torréfaction moyenne, douce et équilibrée',
    'black-tea': 'un thé noir vif et malté',
    bulk: 'un grand format pour le bureau ou les grandes maisonnées',
    'cast-iron': 'en fonte, qui garde bien la chaleur',
    enamel: 'en émail résistant, qui va sur un réchaud de camping',
    'auto-delivery-eligible': 'offert en livraison automatique',
  },
  financial: {
    pending: 'paiement en attente',
    authorized: 'paiement autorisé',
    partially_paid: 'partiellement payée',
    paid: 'payée',
    partially_refunded: 'partiellement remboursée',
    refunded: 'remboursée',
    voided: 'paiement annulé',
  },
  kbIntro: (title) => (title ? `Voici ce qu’indique notre page « ${title} » :` : 'Voici ce qu’indique notre centre d’aide :'),
  quantity: (qty, title) => `${qty} × ${title}`,

  greeting: {
    hello: (firstName) => (firstName ? `Bonjour ${firstName}!` : 'Bonjour!'),
    intro: (shop) => `Merci de communiquer avec ${shop}.`,
    offer:
      'Je peux suivre une commande, lancer un retour ou un échange, vous aider à choisir un produit ou consulter vos points de fidélité. Comment puis-je vous aider aujourd’hui?',
  },

  clarify: {
    question: (topics) => `Je veux être certain de bien vous aider. Votre question porte-t-elle sur ${topics}?`,
  },

  contact: {
    phone: (phone) => `Par téléphone, composez le ${phone}.`,
    reach: (shop, email) =>
      email
        ? `Vous pouvez joindre l’équipe du service à la clientèle de ${shop} par courriel à ${email}.`
        : `Vous pouvez joindre l’équipe du service à la clientèle de ${shop} ici même, dans cette conversation.`,
    assistant: 'Je suis disponible en tout temps pour vos questions sur les commandes, les retours, les produits et les récompenses.',
    anythingElse: 'Y a-t-il quelque chose en particulier que je peux faire pour vous?',
  },

  orders: {
    askNumberAndEmail:
      'Avec plaisir! Pourriez-vous m’indiquer votre numéro de commande (il commence par #) et l’adresse courriel utilisée pour passer la commande?',
    askNumber: 'Avec plaisir! Pourriez-vous m’indiquer votre numéro de commande? Il commence par # et figure dans votre courriel de confirmation.',
    askEmail: 'Merci! Pour protéger vos renseignements, pourriez-vous aussi m’indiquer l’adresse courriel utilisée pour passer cette commande?',
    notFound:
      'Je n’ai trouvé aucune commande correspondant à ces renseignements pour cette adresse courriel. Pourriez-vous vérifier le numéro de commande et l’adresse courriel utilisée lors de l’achat?',
    noneForCustomer:
      'Je ne trouve aucune commande associée à votre adresse courriel. Si vous avez commandé avec une autre adresse ou sans compte, pourriez-vous m’indiquer le numéro de commande et l’adresse courriel utilisée?',
    header: (name, items, placed) => `Commande ${name} (${items}), passée le ${placed} :`,
    preparing:
      'Nous l’avons bien reçue et nous la préparons. Elle n’est pas encore expédiée; vous recevrez un numéro de suivi par courriel dès son expédition.',
    partial: 'Une partie de cette commande a été expédiée. Les autres articles suivront dans un colis séparé, sans frais supplémentaires.',
    shippedNoDetail: 'Elle a été expédiée.',
    cancelled: (date) => `Cette commande a été annulée le ${date}.`,
    labelCreated: (date, carrier) =>
      `Son étiquette d’expédition a été créée le ${date} et le colis attend d’être ramassé${carrier ? ` par ${carrier}` : ''}.`,
    inTransit: (date, carrier) => `Elle a été expédiée le ${date}${avec(carrier)} et elle est en route.`,
    outForDelivery: (carrier) => `Bonne nouvelle : elle est en cours de livraison${avec(carrier)} et devrait arriver aujourd’hui.`,
    delivered: (date) => (date ? `Elle a été livrée le ${date}.` : 'Elle a été livrée.'),
    attempted: (carrier) =>
      `${carrier ?? 'Le transporteur'} a tenté de la livrer, sans succès. Vérifiez si vous avez reçu un avis de livraison : le colis vous attend peut-être à un point de retrait à proximité.`,
    failure: (carrier) => `${carrier ?? 'Le transporteur'} a signalé un problème de livraison pour ce colis.`,
    failureCaseOpened: 'J’ai ouvert un dossier auprès de notre équipe afin que nous réglions la situation avec le transporteur.',
    failureOffer: 'Si vous le souhaitez, je peux demander à notre équipe de faire une recherche auprès du transporteur.',
    shipped: (date, carrier) => `Elle a été expédiée le ${date}${avec(carrier)}.`,
    tracking: (number, carrier) => (carrier ? `Numéro de suivi ${carrier} : ${number}` : `Numéro de suivi : ${number}`),
    trackingUrl: (url) => `Pour suivre le colis : ${url}`,
    refundIssued: (amount, date) => `Un remboursement de ${amount} a été émis le ${date}.`,
    intro: (firstName) =>
      firstName ? `Merci, ${firstName}. Voici où en est votre commande.` : 'Voici où en est votre commande.',
    introMany: (firstName) =>
      firstName ? `Merci, ${firstName}. Voici où en sont vos commandes récentes.` : 'Voici où en sont vos commandes récentes.',
    whichOrder: (list) => `De quelle commande s’agit-il? Je vois ${list}.`,
  },

  modification: {
    canChange: (name) =>
      `La commande ${name} n’est pas encore expédiée; elle peut donc encore être modifiée ou annulée : nous pouvons changer l’adresse dans le même pays, changer une taille, une couleur ou une mouture, ajouter ou retirer des articles, choisir une livraison plus rapide, ou l’annuler.`,
    teamWillDoIt: 'J’ai transmis votre demande à notre équipe, qui fera la modification et vous la confirmera par courriel.',
    howTo: 'Dites-moi simplement ce que vous souhaitez modifier, et notre équipe s’en occupera et vous le confirmera par courriel.',
    partial: (name) =>
      `Une partie de la commande ${name} a déjà été expédiée. Les articles qui ne sont pas encore partis peuvent être modifiés ou annulés, mais pas le colis déjà expédié.`,
    shippedCannot: (name, windowDays) =>
      `La commande ${name} a déjà été expédiée; elle ne peut donc plus être modifiée ni annulée. À la réception, vous pourrez retourner tout article dans les ${windowDays} jours suivant la livraison, et je pourrai vous aider à lancer ce retour.`,
    deliveredCannot: (name, date, windowDays) =>
      `La commande ${name} a été livrée le ${date}; elle ne peut donc plus être modifiée ni annulée. Vous pouvez retourner tout article dans les ${windowDays} jours suivant la livraison, et je pourrai vous aider à lancer ce retour.`,
    alreadyCancelled: (name, date) => `La commande ${name} a déjà été annulée le ${date}.`,
  },

  returns: {
    policySummary: (windowDays, limit) =>
      `Vous pouvez retourner un article dans les ${windowDays} jours suivant la livraison, et les retours d’une valeur maximale de ${limit} sont approuvés immédiatement.`,
    approved: (name, rma) =>
      `Bonne nouvelle : votre retour pour la commande ${name} est approuvé. Votre numéro d’autorisation de retour (RMA) est ${rma}.`,
    approvedNoRma: (name) => `Bonne nouvelle : votre retour pour la commande ${name} est approuvé.`,
    packing:
      'Assurez-vous que les articles n’ont pas servi (ou ont seulement été essayés avec soin), qu’ils sont propres et complets, puis emballez-les dans leur emballage d’origine en glissant une note avec votre numéro RMA dans la boîte.',
    labelFallback: 'Si une étiquette de retour prépayée s’applique à votre adresse, elle accompagne vos instructions de retour.',
    deadline: (date) => `Les retours pour cette commande sont acceptés jusqu’au ${date}.`,
    overLimit: (name, amount, limit) =>
      `Les articles que vous souhaitez retourner de la commande ${name} totalisent ${amount}, ce qui dépasse notre limite de ${limit} pour l’approbation automatique.`,
    overLimitNote: 'La plupart de ces retours sont approuvés : la vérification porte surtout sur l’état et l’intégralité des articles.',
    outsideWindow: (name, windowDays, delivered, deadline) =>
      `${delivered ? `La commande ${name} a été livrée le ${delivered}. ` : ''}Notre délai de retour est de ${windowDays} jours après la livraison${deadline ? `; pour cette commande, il a pris fin le ${deadline}` : ''}. Ce retour ne peut donc pas être approuvé automatiquement.`,
    outsideWindowNote: 'Si l’article présente un défaut, il pourrait quand même être couvert par notre garantie.',
    specialistReview: 'Un spécialiste des retours examinera votre demande et vous répondra.',
    notShippedYet: (name) =>
      `La commande ${name} n’est pas encore expédiée; il n’y a donc rien à retourner. Bonne nouvelle : elle peut encore être modifiée ou annulée. Voulez-vous que je demande à notre équipe de s’en occuper?`,
    inTransitYet: (name, windowDays) =>
      `La commande ${name} n’est pas encore livrée. À sa réception, vous aurez ${windowDays} jours après la livraison pour lancer un retour.`,
    cancelled: (name, date) => `La commande ${name} a été annulée${date ? ` le ${date}` : ''}; il n’y a donc rien à retourner.`,
    alreadyRefunded: (name) => `La commande ${name} a déjà été remboursée; il n’y a donc plus rien à retourner.`,
    whichOrder: (list) => `De quelle commande souhaitez-vous retourner des articles? Je vois ${list}.`,
    startWhich: (list) => `Si vous souhaitez faire un retour, dites-moi de quelle commande il s’agit : je vois ${list}.`,
    whichItems: (order, items) => `Quels articles de la commande ${order} souhaitez-vous retourner : ${items}? S’il s’agit de toute la commande, dites-le-moi simplement.`,
  },

  refunds: {
    issued: (name, amount, date) => `Un remboursement de ${amount} pour la commande ${name} a été émis le ${date}.`,
    markedRefunded: (name, status) => `La commande ${name} est indiquée comme ${status}.`,
    noneYet: (name, status) => `Je ne vois pas encore de remboursement pour la commande ${name}. Son statut actuel : ${status}.`,
    afterReturn: 'Si vous nous avez renvoyé des articles, le remboursement est émis dès que le colis nous parvient et qu’il a été inspecté.',
    bankDelay:
      'Le remboursement est versé sur votre moyen de paiement d’origine, et votre institution financière peut prendre quelques jours ouvrables pour l’afficher.',
  },

  exchanges: {
    approved: (name, rma) =>
      `Votre échange pour la commande ${name} est approuvé. Votre numéro d’autorisation de retour (RMA) est ${rma} : renvoyez l’article avec ce numéro dans la boîte, et nous expédierons le remplacement dès que le transporteur l’aura pris en charge.`,
    policy: (windowDays, limit) =>
      `Vous pouvez échanger un article contre une autre taille, une autre couleur ou un autre modèle dans les ${windowDays} jours suivant la livraison, s’il n’a pas servi et qu’il est propre, complet et dans son emballage d’origine. Les échanges d’une valeur de plus de ${limit} sont d’abord examinés par notre équipe.`,
    eligible: (name, delivered) => `La commande ${name} a été livrée le ${delivered}; elle est donc dans le délai d’échange.`,
    eligibleUntil: (name, deadline) => `La commande ${name} peut être échangée jusqu’au ${deadline}.`,
    outside: (name, windowDays, delivered) =>
      `La commande ${name} a été livrée le ${delivered}, il y a plus de ${windowDays} jours; elle est donc hors du délai d’échange. Si l’article présente un défaut, il pourrait être couvert par notre garantie.`,
    notDelivered: (name, windowDays) =>
      `La commande ${name} n’est pas encore livrée. À sa réception, vous aurez ${windowDays} jours pour demander un échange.`,
    cancelled: (name) => `La commande ${name} a été annulée; elle ne peut donc pas être échangée.`,
    offer: 'Voulez-vous que je lance l’échange? Indiquez-moi simplement l’article que vous aimeriez recevoir à la place.',
  },

  products: {
    priceOne: (title, price) => `${title} coûte ${price}.`,
    priceRange: (title, min, max) => `${title} coûte de ${min} à ${max}, selon l’option.`,
    inStock: 'en stock',
    onlyLeft: (count) => `plus que ${count} en stock`,
    outOfStock: 'en rupture de stock pour le moment',
    backorder: 'en réapprovisionnement : vous pouvez le commander dès maintenant et il sera expédié dès son retour en stock',
    variantStatus: (variant, status) => `${variant} (${status})`,
    availability: (list) => `Disponibilité : ${list}.`,
    discontinued: (title) => `${title} n’est plus offert : ce produit a été discontinué.`,
    askWhich: 'Sur quel produit aimeriez-vous en savoir plus? Donnez-moi son nom et je vérifie pour vous.',
    infoOutro: 'Voulez-vous plus de détails, ou de l’aide pour choisir une option?',
    recommendIntro: 'Voici quelques suggestions :',
    recommendLine: (title, price, why) => `• ${title} (${price})${why ? ` : ${why}` : ''}`,
    recommendOutro: 'Voulez-vous plus de détails sur l’un de ces produits?',
    askNeeds:
      'Avec plaisir! Que préparez-vous le plus souvent, et est-ce pour la maison, le bureau ou le plein air?',
    compareIntro: (a, b) => `Voici comment se comparent ${a} et ${b} :`,
    compareLine: (title, price, details) => `• ${title} : ${price}${details ? `, ${details}` : ''}`,
    compareOnlyIn: (title, reasons) => `Les points forts de ${title} : ${reasons}.`,
    compareAskSecond: (title) => `Avec quel produit aimeriez-vous comparer ${title}?`,
    compareOutro: 'Dites-moi comment vous comptez l’utiliser, et je vous aiderai à choisir.',
  },

  shipping: {
    freeThreshold: (amount) => `La livraison standard est gratuite pour les commandes de ${amount} et plus.`,
    noKb:
      'Les frais et les délais de livraison dépendent de votre pays et du service choisi; toutes les options vous sont présentées au moment du paiement.',
    trackingHelp: 'Dès l’expédition de votre commande, nous vous envoyons par courriel un numéro et un lien de suivi.',
  },

  loyalty: {
    earn: (points, perAmount, plural) =>
      `Vous gagnez ${points} ${plural ? 'points' : 'point'} par tranche de ${perAmount} d’achats.`,
    redeem: (points, value) => `Chaque tranche de ${points} points vous donne ${value} de rabais au moment du paiement.`,
    tiers: (list) => `Nos niveaux : ${list}.`,
    tierItem: (name, minPoints, n) => `${name} à partir de ${minPoints} ${pts(n)}`,
    balance: (points, tier, n) => `Vous avez présentement ${points} ${pts(n)}, ce qui vous place au niveau ${tier}.`,
    nextTier: (tier, minPoints, n) => `Le niveau suivant, ${tier}, commence à ${minPoints} ${pts(n)}.`,
    topTier: 'C’est notre niveau le plus élevé. Merci de votre fidélité!',
    noBalance: 'Je ne trouve pas encore de solde de points dans votre compte.',
    askEmail: 'Si vous me donnez l’adresse courriel de votre compte, je pourrai vérifier votre solde de points et votre niveau.',
  },

  subscription: {
    active: (firstName) =>
      `${firstName ? `${firstName}, votre` : 'Votre'} compte comporte un abonnement de livraison automatique; la date du prochain envoi, et s’il est en pause, figurent dans Compte → Livraison automatique.`,
    options:
      'Vous pouvez sauter le prochain envoi, mettre l’abonnement en pause, changer la fréquence ou les articles, ou l’annuler en tout temps dans Compte → Livraison automatique.',
    offer: 'Voulez-vous que je saute, mette en pause, modifie ou annule votre abonnement?',
    notActive: 'Je ne vois pas d’abonnement de livraison automatique dans votre compte.',
    explain:
      'La livraison automatique vous envoie votre café, votre thé et vos accessoires selon le calendrier de votre choix. Vous pouvez sauter un envoi, faire une pause, modifier ou annuler quand vous le voulez.',
    askEmail: 'Si vous me donnez l’adresse courriel de votre compte, je pourrai consulter votre abonnement.',
  },

  giftCards: {
    range: (min, max) => `Nos cartes-cadeaux numériques sont envoyées par courriel et peuvent valoir de ${min} à ${max}.`,
    noExpiry: 'Elles n’expirent jamais et sont sans frais.',
    balance: 'Vous pouvez consulter le solde en appliquant le code au moment du paiement, ou notre équipe peut le vérifier pour vous.',
  },

  account: {
    generic:
      'Pour réinitialiser votre mot de passe, cliquez sur « Mot de passe oublié? » sur la page de connexion et entrez l’adresse courriel de votre compte. Nous vous enverrons par courriel un lien de réinitialisation à usage unique.',
    emailChange:
      'Pour changer votre adresse courriel, connectez-vous, modifiez-la dans le profil de votre compte, puis confirmez-la à l’aide du lien envoyé à la nouvelle adresse.',
    neverPassword: 'Nous ne vous demanderons jamais votre mot de passe.',
  },

  billing: {
    orderLine: (name, total, status) => `Commande ${name} : total de ${total}, ${status}.`,
    generic:
      'Si vous voyez deux débits après un problème lors du paiement, l’un d’eux est habituellement une autorisation en attente : une retenue temporaire que votre institution financière libère automatiquement. Seules les commandes confirmées par courriel sont réellement facturées.',
    askDetails:
      'Si un débit vous semble toujours inconnu, envoyez-moi le numéro de commande ainsi que la date et le montant du débit, et nous réglerons la situation.',
  },

  technical: {
    sorry: (product) =>
      product ? `Je suis désolé que votre ${product} vous cause des ennuis.` : 'Je suis désolé que votre produit vous cause des ennuis.',
    incident: (product) => (product ? `Je suis vraiment désolé de ce qui s’est passé avec votre ${product}.` : 'Je suis vraiment désolé de ce qui s’est passé.'),
    generic:
      'Débranchez l’appareil avant de le vérifier ou de le nettoyer. Si vous remarquez une odeur de brûlé, de la fumée, des étincelles ou un cordon endommagé, cessez immédiatement de l’utiliser.',
    nextSteps:
      'Si le problème persiste, envoyez-nous votre numéro de commande, une photo ou une courte vidéo et, pour un appareil électrique, le numéro de série : notre équipe vous aidera, y compris au titre de la garantie.',
  },

  feedback: {
    positive: 'Merci beaucoup pour vos bons mots! Je m’assure que l’équipe en soit informée.',
    neutral: 'Merci pour votre commentaire. Je le transmets à notre équipe : il nous aide vraiment à nous améliorer.',
    negative:
      'Merci de nous en avoir fait part, et je suis désolé que votre expérience n’ait pas été meilleure. Je transmets vos commentaires à notre équipe.',
  },

  complaint: {
    apology: (firstName) =>
      firstName
        ? `Je suis vraiment désolé, ${firstName}. Ce n’est pas l’expérience que nous voulons vous offrir.`
        : 'Je suis vraiment désolé. Ce n’est pas l’expérience que nous voulons vous offrir.',
    askDetails:
      'Pourriez-vous m’en dire un peu plus sur ce qui s’est passé, avec votre numéro de commande s’il s’agit d’une commande, afin que je puisse arranger les choses?',
  },

  escalationRequest: {
    ack: 'Bien sûr. Je vous mets en contact avec un membre de notre équipe.',
    contact: (email) =>
      email
        ? `Vous pouvez joindre notre équipe directement à ${email}; elle se fera un plaisir de vous aider.`
        : 'Vous pouvez joindre notre équipe directement en répondant à n’importe quel courriel de commande; elle se fera un plaisir de vous aider.',
  },

  b2b: {
    thanks: 'Merci de votre intérêt à faire affaire avec nous!',
    generic:
      'Notre équipe de vente en gros s’occupe des cafés, des détaillants et des bureaux. Indiquez-nous le nom, l’adresse et le site Web de votre entreprise, et elle vous fera part de ses prix et conditions.',
  },

  outOfScope: {
    polite: (shop) =>
      `Je suis désolé, je ne peux pas vous aider sur ce sujet. En tant qu’assistant de ${shop}, je peux suivre vos commandes, m’occuper des retours et des échanges, répondre à vos questions sur les produits et la livraison, et consulter vos points de fidélité.`,
  },

  tickets: {
    status: {
      new: 'en attente de traitement',
      open: 'ouverte',
      pending: 'en attente de votre réponse',
      hold: 'en suspens',
      solved: 'résolue',
      closed: 'fermée',
    },
    next: {
      new: 'Elle est dans la file de notre équipe, et quelqu’un va s’en occuper sous peu.',
      open: 'Notre équipe s’en occupe et vous tiendra au courant par courriel.',
      pending: 'Notre équipe a besoin d’un complément d’information : veuillez répondre à son dernier courriel pour qu’elle puisse continuer.',
      hold: 'Notre équipe attend une réponse d’un partenaire, comme le transporteur ou le fabricant, et vous tiendra au courant dès qu’elle l’aura.',
      solved: 'Si quelque chose ne va toujours pas, répondez simplement au dernier courriel à ce sujet et elle sera rouverte.',
      closed: 'Si vous avez encore besoin d’aide à ce sujet, dites-moi ce qui se passe et je vous aiderai.',
    },
    one: (id, subject, opened, status) =>
      `Votre demande ${id}${subject ? ` « ${subject} »` : ''}${opened ? `, créée le ${opened},` : ''} est ${status}.`,
    manyIntro: 'Voici vos demandes d’assistance :',
    item: (id, subject, opened, status) => `${id}${subject ? ` « ${subject} »` : ''}${opened ? ` (créée le ${opened})` : ''} : ${status}`,
    none: 'Je ne vois aucune demande d’assistance associée à votre adresse courriel. Si vous nous avez écrit il y a quelques minutes, elle n’apparaît peut-être pas encore; sinon, dites-moi de quoi il s’agit et je vous aiderai.',
    notFound: 'Je n’ai trouvé aucune demande portant ce numéro associée à votre adresse courriel; je ne peux donc rien vous communiquer à son sujet.',
    unavailable: (email) =>
      email
        ? `Je ne peux pas consulter vos demandes d’assistance pour le moment. Veuillez réessayer un peu plus tard, ou écrivez-nous à ${email}.`
        : 'Je ne peux pas consulter vos demandes d’assistance pour le moment. Veuillez réessayer un peu plus tard.',
    signIn:
      'Pour protéger vos renseignements, je ne peux consulter une demande d’assistance que si vous êtes connecté avec l’adresse courriel utilisée pour l’ouvrir. Vous pouvez aussi répondre à tout courriel de notre équipe à ce sujet.',
    related: (id, subject, status) => `Vous avez déjà une demande ouverte à ce sujet : ${id}${subject ? ` « ${subject} »` : ''} (${status}).`,
  },

  handoff: {
    byPriority: {
      urgent: 'J’ai marqué votre demande comme urgente et je l’ai transmise à notre équipe. Quelqu’un communiquera avec vous le plus tôt possible.',
      high: 'J’ai transmis votre demande en priorité à notre équipe, et un membre de l’équipe vous répondra sous peu.',
      normal: 'J’ai transmis votre demande à notre équipe du service à la clientèle, et un membre de l’équipe fera le suivi avec vous par courriel.',
      low: 'J’ai transmis votre demande à notre équipe du service à la clientèle, et un membre de l’équipe fera le suivi avec vous par courriel.',
    },
    sales: 'J’ai transmis votre demande à notre équipe de vente en gros, qui fera le suivi avec vous par courriel.',
    ticket: (id) => `Votre numéro de billet est le ${id}.`,
    error: (email) =>
      email
        ? `Malheureusement, je n’ai pas pu ouvrir de billet d’assistance pour le moment. Écrivez-nous à ${email}, et un membre de notre équipe vous aidera.`
        : 'Malheureusement, je n’ai pas pu ouvrir de billet d’assistance pour le moment. Veuillez réessayer un peu plus tard, et un membre de notre équipe vous aidera.',
    updateError: (id, email) =>
      email
        ? `Malheureusement, je n’ai pas pu ajouter ce message à votre billet ${id} pour le moment. Écrivez-nous à ${email} pour qu’un membre de notre équipe s’en occupe.`
        : `Malheureusement, je n’ai pas pu ajouter ce message à votre billet ${id} pour le moment. Veuillez réessayer un peu plus tard pour qu’un membre de notre équipe s’en occupe.`,
    safety:
      'Pour votre sécurité, cessez d’utiliser le produit (et laissez-le débranché s’il est électrique) jusqu’à ce que notre équipe l’ait examiné. Si quelqu’un est blessé, consultez d’abord un professionnel de la santé.',
    frustration: 'Je suis désolé pour ces inconvénients, et je comprends que ce soit frustrant.',
  },
};
