// Catálogo en español (trato de usted, registro neutro para Latinoamérica y España). Sin dígitos: los números vienen
// del contexto, ya formateados.
import type { Messages } from './types.js';

const TIERS: Record<string, string> = { bronze: 'Bronce', silver: 'Plata', gold: 'Oro', platinum: 'Platino' };
const con = (carrier?: string): string => (carrier ? ` con ${carrier}` : '');
const pts = (n: number): string => (n === 1 ? 'punto' : 'puntos');

export const es: Messages = {
  // Money and numbers as in Spain ("24,99 US$", "1240"); dates as in Mexico ("7 de noviembre de 2026", same in Spain).
  locales: { number: 'es-ES', date: 'es-MX', list: 'es' },

  // The Spanish KB is written with tú: never quote those sentences in a usted reply.
  kbAvoid:
    /(?<!\p{L})(tú|tu|tus|te|ti|contigo|tienes|puedes|quieres|necesitas|recibes|recibirás|vives|compraste|pagaste|canjeaste|devuelves|inicia|elige|embala|envía|envíanos|escríbenos|crea|comprueba|marca|ten|revisa|devuélvelo)(?!\p{L})/iu,
  tierName: (name) => {
    const local = TIERS[name.toLowerCase()];
    return local && local !== name ? `${local} (${name})` : name;
  },
  topics: {
    greeting: 'una primera consulta',
    general_inquiry: 'cómo contactarnos',
    order_status: 'el seguimiento de un pedido',
    order_modification: 'cambiar o cancelar un pedido',
    return_request: 'la devolución de un artículo',
    refund_status: 'un reembolso',
    exchange_request: 'el cambio de un artículo',
    product_info: 'un producto',
    product_recommendation: 'recomendaciones de productos',
    product_comparison: 'comparar productos',
    shipping_question: 'las tarifas y los plazos de envío',
    loyalty_program: 'sus puntos de fidelidad',
    subscription_management: 'su suscripción de entrega automática',
    gift_card: 'las tarjetas de regalo',
    account_help: 'su cuenta o su contraseña',
    billing_issue: 'un pago o un cargo',
    technical_support: 'un producto que no funciona bien',
    feedback: 'dejarnos un comentario',
    complaint: 'un problema con su experiencia',
    escalation_request: 'hablar con nuestro equipo',
    b2b_inquiry: 'las cuentas mayoristas',
    out_of_scope: 'otro tema',
  },
  reasons: {
    'espresso-capable': 'muele lo bastante fino para espresso',
    'no-electricity': 'no necesita electricidad',
    'universal-voltage': 'funciona con cualquier voltaje',
    'temperature-control': 'permite elegir la temperatura exacta del agua',
    ultralight: 'ultraligero para ir de excursión',
    travel: 'ideal para viajar',
    camping: 'pensado para acampar y el aire libre',
    insulated: 'mantiene las bebidas calientes durante mucho tiempo',
    induction: 'funciona en inducción y en cualquier otra estufa',
    gift: 'un regalo ideal',
    reusable: 'reutilizable, sin filtros de papel',
    decaf: 'todo el sabor, sin cafeína',
    'caffeine-free': 'sin cafeína',
    rechargeable: 'recargable, sin pilas',
    timer: 'con temporizador integrado',
    manual: 'manual y silencioso',
    electric: 'la comodidad de un solo botón',
    'pour-over': 'ideal para café de filtro por goteo',
    'french-press': 'ideal para prensa francesa',
    moka: 'café intenso en cualquier estufa',
    'loose-leaf': 'a granel, para una taza más sabrosa',
    'medium-roast': 'un tueste medio, suave y equilibrado',
    'black-tea': 'un té negro intenso y malteado',
    bulk: 'una bolsa grande para oficinas y hogares numerosos',
    'cast-iron': 'de hierro fundido, que conserva muy bien el calor',
    enamel: 'de esmalte resistente, apto para hornillo de campamento',
    'auto-delivery-eligible': 'disponible con entrega automática',
  },
  financial: {
    pending: 'pago pendiente',
    authorized: 'pago autorizado',
    partially_paid: 'pagado parcialmente',
    paid: 'pagado',
    partially_refunded: 'reembolsado parcialmente',
    refunded: 'reembolsado',
    voided: 'pago anulado',
  },
  kbIntro: (title) => (title ? `Esto es lo que indica nuestra página «${title}»:` : 'Esto es lo que indica nuestro centro de ayuda:'),
  quantity: (qty, title) => `${qty} × ${title}`,

  greeting: {
    hello: (firstName) => (firstName ? `¡Hola, ${firstName}!` : '¡Hola!'),
    intro: (shop) => `Gracias por comunicarse con ${shop}.`,
    offer:
      'Puedo darle seguimiento a un pedido, iniciar una devolución o un cambio, ayudarle a elegir un producto o consultar sus puntos de fidelidad. ¿En qué puedo ayudarle hoy?',
  },

  clarify: {
    question: (topics) => `Quiero asegurarme de entenderle bien. ¿Su consulta es sobre ${topics}?`,
  },

  contact: {
    phone: (phone) => `Por teléfono, llame al ${phone}.`,
    reach: (shop, email) =>
      email
        ? `Puede comunicarse con el equipo de atención al cliente de ${shop} por correo electrónico en ${email}.`
        : `Puede comunicarse con el equipo de atención al cliente de ${shop} aquí mismo, en este chat.`,
    assistant: 'Estoy disponible a cualquier hora para consultas sobre pedidos, devoluciones, productos y recompensas.',
    anythingElse: '¿Hay algo en concreto en lo que pueda ayudarle?',
  },

  orders: {
    askNumberAndEmail:
      'Con gusto lo reviso. ¿Me podría indicar su número de pedido (empieza con #) y el correo electrónico que usó al hacer el pedido?',
    askNumber: 'Con gusto lo reviso. ¿Me podría indicar su número de pedido? Empieza con # y aparece en su correo de confirmación.',
    askEmail: '¡Gracias! Para proteger sus datos, ¿me podría indicar también el correo electrónico que usó al hacer ese pedido?',
    notFound:
      'No encontré ningún pedido que coincida con esos datos para este correo electrónico. ¿Podría verificar el número de pedido y el correo que usó al comprar?',
    noneForCustomer:
      'No encuentro pedidos asociados a su correo electrónico. Si compró con otro correo o sin cuenta, ¿me podría indicar el número de pedido y el correo que usó?',
    header: (name, items, placed) => `Pedido ${name} (${items}), realizado el ${placed}:`,
    preparing:
      'Ya lo recibimos y lo estamos preparando. Todavía no se ha enviado; le mandaremos el número de seguimiento por correo electrónico en cuanto salga.',
    partial: 'Una parte de este pedido ya se envió. Los demás artículos llegarán en un paquete aparte, sin costo adicional.',
    shippedNoDetail: 'Ya se envió.',
    cancelled: (date) => `Este pedido se canceló el ${date}.`,
    labelCreated: (date, carrier) =>
      `Su etiqueta de envío se creó el ${date} y el paquete está esperando la recolección${carrier ? ` de ${carrier}` : ''}.`,
    inTransit: (date, carrier) => `Se envió el ${date}${con(carrier)} y va en camino.`,
    outForDelivery: (carrier) => `¡Buenas noticias! Está en reparto${con(carrier)} y debería llegar hoy.`,
    delivered: (date) => (date ? `Se entregó el ${date}.` : 'Ya se entregó.'),
    attempted: (carrier) =>
      `${carrier ?? 'La paquetería'} intentó entregarlo, pero no fue posible. Revise si le dejaron un aviso: es posible que el paquete le espere en un punto de recogida cercano.`,
    failure: (carrier) => `${carrier ?? 'La paquetería'} informó de un problema con la entrega de este paquete.`,
    failureCaseOpened: 'He abierto un caso con nuestro equipo para resolverlo con la paquetería.',
    failureOffer: 'Si lo desea, puedo pedirle a nuestro equipo que lo revise con la paquetería.',
    shipped: (date, carrier) => `Se envió el ${date}${con(carrier)}.`,
    tracking: (number, carrier) => (carrier ? `Número de seguimiento de ${carrier}: ${number}` : `Número de seguimiento: ${number}`),
    trackingUrl: (url) => `Puede seguirlo aquí: ${url}`,
    refundIssued: (amount, date) => `Se emitió un reembolso de ${amount} el ${date}.`,
    intro: (firstName) =>
      firstName ? `Gracias, ${firstName}. Esta es la información más reciente de su pedido.` : 'Esta es la información más reciente de su pedido.',
    introMany: (firstName) =>
      firstName
        ? `Gracias, ${firstName}. Esta es la información más reciente de sus pedidos.`
        : 'Esta es la información más reciente de sus pedidos.',
    whichOrder: (list) => `¿De qué pedido se trata? Veo ${list}.`,
  },

  modification: {
    canChange: (name) =>
      `El pedido ${name} todavía no se ha enviado, así que aún se puede modificar o cancelar: podemos cambiar la dirección dentro del mismo país, cambiar una talla, un color o una molienda, agregar o quitar artículos, mejorar el tipo de envío o cancelarlo.`,
    teamWillDoIt: 'He pasado su solicitud a nuestro equipo, que hará el cambio y se lo confirmará por correo electrónico.',
    howTo: 'Solo dígame qué desea cambiar, y nuestro equipo se encargará y se lo confirmará por correo electrónico.',
    partial: (name) =>
      `Una parte del pedido ${name} ya se envió. Los artículos que aún no han salido se pueden modificar o cancelar, pero el paquete que ya se envió no.`,
    shippedCannot: (name, windowDays) =>
      `El pedido ${name} ya se envió, así que ya no se puede modificar ni cancelar. Cuando lo reciba, podrá devolver cualquier artículo dentro de los ${windowDays} días siguientes a la entrega, y con gusto le ayudo a iniciar la devolución.`,
    deliveredCannot: (name, date, windowDays) =>
      `El pedido ${name} se entregó el ${date}, así que ya no se puede modificar ni cancelar. Puede devolver cualquier artículo dentro de los ${windowDays} días siguientes a la entrega, y con gusto le ayudo a iniciar la devolución.`,
    alreadyCancelled: (name, date) => `El pedido ${name} ya se canceló el ${date}.`,
  },

  returns: {
    policySummary: (windowDays, limit) =>
      `Puede devolver artículos dentro de los ${windowDays} días siguientes a la entrega, y las devoluciones de hasta ${limit} se aprueban de inmediato.`,
    approved: (name, rma) =>
      `Buenas noticias: su devolución del pedido ${name} está aprobada. Su número de autorización de devolución (RMA) es ${rma}.`,
    approvedNoRma: (name) => `Buenas noticias: su devolución del pedido ${name} está aprobada.`,
    packing:
      'Asegúrese de que los artículos estén sin usar (o apenas probados con cuidado), limpios y completos, y empáquelos en su embalaje original con una nota con su número RMA dentro de la caja.',
    labelFallback: 'Si a su dirección le corresponde una etiqueta de devolución prepagada, la recibirá junto con las instrucciones.',
    deadline: (date) => `Las devoluciones de este pedido se aceptan hasta el ${date}.`,
    overLimit: (name, amount, limit) =>
      `Los artículos que desea devolver del pedido ${name} suman ${amount}, una cantidad superior a nuestro límite de ${limit} para la aprobación automática.`,
    overLimitNote: 'La mayoría de estas devoluciones se aprueban: la revisión comprueba sobre todo el estado de los artículos y que estén completos.',
    outsideWindow: (name, windowDays, delivered, deadline) =>
      `${delivered ? `El pedido ${name} se entregó el ${delivered}. ` : ''}Nuestro plazo de devolución es de ${windowDays} días desde la entrega${deadline ? ` y, para este pedido, terminó el ${deadline}` : ''}, así que esta devolución no se puede aprobar automáticamente.`,
    outsideWindowNote: 'Si el artículo presenta una falla, es posible que lo cubra nuestra garantía.',
    specialistReview: 'Un especialista en devoluciones revisará su solicitud y le responderá.',
    notShippedYet: (name) =>
      `El pedido ${name} todavía no se ha enviado, así que no hay nada que devolver. La buena noticia es que aún se puede modificar o cancelar. ¿Desea que le pida a nuestro equipo que lo haga?`,
    inTransitYet: (name, windowDays) =>
      `El pedido ${name} todavía no se ha entregado. Cuando lo reciba, tendrá ${windowDays} días desde la entrega para iniciar una devolución.`,
    cancelled: (name, date) => `El pedido ${name} se canceló${date ? ` el ${date}` : ''}, así que no hay nada que devolver.`,
    alreadyRefunded: (name) => `El pedido ${name} ya se reembolsó, así que no queda nada por devolver.`,
    whichOrder: (list) => `¿De qué pedido desea devolver artículos? Veo ${list}.`,
    startWhich: (list) => `Si desea iniciar una devolución, dígame de qué pedido se trata: veo ${list}.`,
    whichItems: (order, items) => `¿Qué artículos del pedido ${order} desea devolver: ${items}? Si es todo el pedido, solo dígamelo.`,
  },

  refunds: {
    issued: (name, amount, date) => `Se emitió un reembolso de ${amount} del pedido ${name} el ${date}.`,
    markedRefunded: (name, status) => `El pedido ${name} figura como ${status}.`,
    noneYet: (name, status) => `Todavía no veo ningún reembolso en el pedido ${name}. Su estado actual es: ${status}.`,
    afterReturn: 'Si ya nos devolvió artículos, el reembolso se emite cuando el paquete llega a nuestro centro y se revisa.',
    bankDelay: 'El reembolso se hace al método de pago original, y su banco puede tardar algunos días hábiles en reflejarlo.',
  },

  exchanges: {
    approved: (name, rma) =>
      `Su cambio del pedido ${name} está aprobado. Su número de autorización de devolución (RMA) es ${rma}: envíe el artículo con ese número dentro de la caja y enviaremos el reemplazo en cuanto el transportista lo registre.`,
    policy: (windowDays, limit) =>
      `Puede cambiar un artículo por otra talla, otro color u otro modelo dentro de los ${windowDays} días siguientes a la entrega, siempre que esté sin usar, limpio, completo y en su embalaje original. Los cambios de más de ${limit} los revisa primero nuestro equipo.`,
    eligible: (name, delivered) => `El pedido ${name} se entregó el ${delivered}, así que está dentro del plazo para cambios.`,
    eligibleUntil: (name, deadline) => `El pedido ${name} se puede cambiar hasta el ${deadline}.`,
    outside: (name, windowDays, delivered) =>
      `El pedido ${name} se entregó el ${delivered}, hace más de ${windowDays} días, así que está fuera del plazo para cambios. Si el artículo presenta una falla, es posible que lo cubra nuestra garantía.`,
    notDelivered: (name, windowDays) =>
      `El pedido ${name} todavía no se ha entregado. Cuando lo reciba, tendrá ${windowDays} días para solicitar un cambio.`,
    cancelled: (name) => `El pedido ${name} se canceló, así que no se puede cambiar.`,
    offer: '¿Desea que inicie el cambio? Solo dígame qué artículo le gustaría recibir a cambio.',
  },

  products: {
    priceOne: (title, price) => `${title} cuesta ${price}.`,
    priceRange: (title, min, max) => `${title} cuesta de ${min} a ${max}, según la opción.`,
    inStock: 'en stock',
    onlyLeft: (count) => `solo quedan ${count}`,
    outOfStock: 'agotado por el momento',
    backorder: 'en reposición: puede pedirlo ya y se enviará en cuanto vuelva a estar disponible',
    variantStatus: (variant, status) => `${variant} (${status})`,
    availability: (list) => `Disponibilidad: ${list}.`,
    discontinued: (title) => `${title} se descontinuó y ya no está disponible.`,
    askWhich: '¿Sobre qué producto desea saber más? Dígame su nombre y lo busco.',
    infoOutro: '¿Desea más detalles o ayuda para elegir una opción?',
    recommendIntro: 'Estas son algunas recomendaciones:',
    recommendLine: (title, price, why) => `• ${title} (${price})${why ? `: ${why}` : ''}`,
    recommendOutro: '¿Desea más detalles de alguno de ellos?',
    askNeeds: 'Con gusto le ayudo a elegir. ¿Qué prepara con más frecuencia y lo necesita para la casa, la oficina o el aire libre?',
    compareIntro: (a, b) => `Así se comparan ${a} y ${b}:`,
    compareLine: (title, price, details) => `• ${title}: ${price}${details ? `, ${details}` : ''}`,
    compareOnlyIn: (title, reasons) => `Lo que distingue a ${title}: ${reasons}.`,
    compareAskSecond: (title) => `¿Con qué producto desea comparar ${title}?`,
    compareOutro: 'Cuénteme cómo lo va a usar y le ayudo a decidir.',
  },

  shipping: {
    freeThreshold: (amount) => `El envío estándar es gratis en pedidos de ${amount} o más.`,
    noKb: 'Las tarifas y los plazos de envío dependen de su país y del servicio que elija; verá todas las opciones al pagar.',
    trackingHelp: 'Cuando su pedido salga, le enviaremos por correo electrónico el número y el enlace de seguimiento.',
  },

  loyalty: {
    earn: (points, perAmount, plural) => `Usted gana ${points} ${plural ? 'puntos' : 'punto'} por cada ${perAmount} de compra.`,
    redeem: (points, value) => `Cada ${points} puntos se pueden canjear por ${value} de descuento al pagar.`,
    tiers: (list) => `Nuestros niveles son: ${list}.`,
    tierItem: (name, minPoints, n) => `${name} desde ${minPoints} ${pts(n)}`,
    balance: (points, tier, n) => `Actualmente tiene ${points} ${pts(n)}, lo que le sitúa en el nivel ${tier}.`,
    nextTier: (tier, minPoints, n) => `El siguiente nivel, ${tier}, empieza en ${minPoints} ${pts(n)}.`,
    topTier: 'Es nuestro nivel más alto. ¡Gracias por su fidelidad!',
    noBalance: 'Todavía no encuentro un saldo de puntos en su cuenta.',
    askEmail: 'Si me indica el correo electrónico de su cuenta, puedo consultar su saldo de puntos y su nivel.',
  },

  subscription: {
    active: (firstName) =>
      `${firstName ? `${firstName}, su` : 'Su'} cuenta tiene una suscripción de entrega automática; la fecha del próximo envío, y si está en pausa, aparecen en Cuenta → Entrega automática.`,
    options:
      'Puede saltar el próximo envío, pausarla, cambiar la frecuencia o los artículos, o cancelarla en cualquier momento en Cuenta → Entrega automática.',
    offer: '¿Desea que la salte, la pause, la modifique o la cancele por usted?',
    notActive: 'No veo ninguna suscripción de entrega automática en su cuenta.',
    explain:
      'La entrega automática le envía su café, té y accesorios según el calendario que usted elija. Puede saltar, pausar, modificar o cancelar cuando quiera.',
    askEmail: 'Si me indica el correo electrónico de su cuenta, puedo consultar su suscripción.',
  },

  giftCards: {
    range: (min, max) => `Nuestras tarjetas de regalo digitales se envían por correo electrónico y pueden valer desde ${min} hasta ${max}.`,
    noExpiry: 'No caducan nunca y no tienen comisiones.',
    balance: 'Puede consultar el saldo aplicando el código al pagar, o nuestro equipo puede consultarlo por usted.',
  },

  account: {
    generic:
      'Para restablecer su contraseña, use el enlace «¿Olvidó su contraseña?» en la página de inicio de sesión e ingrese el correo electrónico de su cuenta. Le enviaremos un enlace de restablecimiento que funciona una sola vez.',
    emailChange:
      'Para cambiar su correo electrónico, inicie sesión, actualícelo en el perfil de su cuenta y confírmelo con el enlace que enviaremos a la nueva dirección.',
    neverPassword: 'Nunca le pediremos su contraseña.',
  },

  billing: {
    orderLine: (name, total, status) => `Pedido ${name}: total de ${total}, ${status}.`,
    generic:
      'Si ve dos cargos después de un problema al pagar, uno suele ser una autorización pendiente: una retención temporal que su banco libera automáticamente. Solo se cobran los pedidos confirmados por correo electrónico.',
    askDetails:
      'Si sigue viendo un cargo que no reconoce, envíeme el número de pedido y la fecha y el importe del cargo, y lo resolveremos.',
  },

  technical: {
    sorry: (product) =>
      product ? `Lamento que su ${product} le esté dando problemas.` : 'Lamento que su producto le esté dando problemas.',
    incident: (product) => (product ? `Lamento mucho lo ocurrido con su ${product}.` : 'Lamento mucho lo ocurrido.'),
    generic:
      'Desenchúfelo antes de revisarlo o limpiarlo. Si nota olor a quemado, humo, chispas o un cable dañado, deje de usarlo de inmediato.',
    nextSteps:
      'Si así no se resuelve, envíenos su número de pedido, una foto o un video corto y, para productos eléctricos, el número de serie; nuestro equipo le ayudará, también con la garantía.',
  },

  feedback: {
    positive: '¡Muchas gracias por sus amables palabras! Me aseguraré de que el equipo las reciba.',
    neutral: 'Gracias por sus comentarios. Se los haré llegar a nuestro equipo; nos ayudan mucho a mejorar.',
    negative: 'Gracias por contárnoslo, y lamento que su experiencia no haya sido mejor. Le haré llegar sus comentarios a nuestro equipo.',
  },

  complaint: {
    apology: (firstName) =>
      firstName
        ? `Lo siento mucho, ${firstName}. No es la experiencia que queremos ofrecerle.`
        : 'Lo siento mucho. No es la experiencia que queremos ofrecerle.',
    askDetails:
      '¿Podría contarme un poco más sobre lo que pasó, con su número de pedido si se trata de un pedido, para ayudarle a resolverlo?',
  },

  escalationRequest: {
    ack: 'Por supuesto. Le pongo en contacto con una persona de nuestro equipo.',
    contact: (email) =>
      email
        ? `Puede escribir directamente a nuestro equipo a ${email}; con gusto le ayudarán.`
        : 'Puede comunicarse directamente con nuestro equipo respondiendo a cualquier correo de su pedido; con gusto le ayudarán.',
  },

  b2b: {
    thanks: '¡Gracias por su interés en trabajar con nosotros!',
    generic:
      'Nuestro equipo mayorista atiende a cafeterías, tiendas y oficinas. Indíquenos el nombre, la dirección y el sitio web de su empresa, y le enviarán precios y condiciones.',
  },

  outOfScope: {
    polite: (shop) =>
      `Lo siento, ese tema está fuera de lo que puedo atender aquí. Como asistente de ${shop}, puedo dar seguimiento a pedidos, gestionar devoluciones y cambios, responder preguntas sobre productos y envíos, y consultar sus puntos de fidelidad.`,
  },

  tickets: {
    status: {
      new: 'en espera de atención',
      open: 'abierta',
      pending: 'en espera de su respuesta',
      hold: 'en pausa',
      solved: 'resuelta',
      closed: 'cerrada',
    },
    next: {
      new: 'Está en la cola de nuestro equipo, y alguien la atenderá en breve.',
      open: 'Nuestro equipo está trabajando en ella y le mantendrá al tanto por correo electrónico.',
      pending: 'Nuestro equipo necesita un poco más de información: responda a su último correo para que pueda continuar.',
      hold: 'Nuestro equipo está esperando la respuesta de un socio, como la paquetería o el fabricante, y le avisará en cuanto la reciba.',
      solved: 'Si algo todavía no está bien, responda al último correo sobre el tema y se volverá a abrir.',
      closed: 'Si todavía necesita ayuda con esto, cuénteme qué pasa y le ayudaré.',
    },
    one: (id, subject, opened, status) =>
      `Su solicitud ${id}${subject ? ` «${subject}»` : ''}${opened ? `, creada el ${opened},` : ''} está ${status}.`,
    manyIntro: 'Estas son sus solicitudes de soporte:',
    item: (id, subject, opened, status) => `${id}${subject ? ` «${subject}»` : ''}${opened ? ` (creada el ${opened})` : ''}: ${status}`,
    none: 'No veo ninguna solicitud de soporte asociada a su correo electrónico. Si nos escribió hace unos minutos, es posible que todavía no aparezca; si no, cuénteme de qué se trata y le ayudaré.',
    notFound: 'No encontré ninguna solicitud con ese número asociada a su correo electrónico, así que no puedo compartir nada sobre ella.',
    unavailable: (email) =>
      email
        ? `No puedo consultar sus solicitudes de soporte en este momento. Inténtelo de nuevo un poco más tarde o escríbanos a ${email}.`
        : 'No puedo consultar sus solicitudes de soporte en este momento. Inténtelo de nuevo un poco más tarde.',
    signIn:
      'Para proteger sus datos, solo puedo consultar una solicitud de soporte cuando ha iniciado sesión con el correo electrónico con el que se abrió. También puede responder a cualquier correo de nuestro equipo sobre el tema.',
    related: (id, subject, status) => `Ya tiene una solicitud abierta con nosotros sobre esto: ${id}${subject ? ` «${subject}»` : ''} (${status}).`,
  },

  handoff: {
    byPriority: {
      urgent: 'He marcado su caso como urgente y lo he pasado a nuestro equipo. Una persona se comunicará con usted lo antes posible.',
      high: 'He pasado su caso a nuestro equipo con prioridad, y una persona del equipo le responderá en breve.',
      normal: 'He pasado su caso a nuestro equipo de atención al cliente, y una persona del equipo le dará seguimiento por correo electrónico.',
      low: 'He pasado su caso a nuestro equipo de atención al cliente, y una persona del equipo le dará seguimiento por correo electrónico.',
    },
    sales: 'He pasado su solicitud a nuestro equipo mayorista, que le dará seguimiento por correo electrónico.',
    ticket: (id) => `Su número de ticket es ${id}.`,
    error: (email) =>
      email
        ? `Lamentablemente, no pude abrir un ticket de soporte en este momento. Escríbanos a ${email} y una persona de nuestro equipo le ayudará.`
        : 'Lamentablemente, no pude abrir un ticket de soporte en este momento. Inténtelo de nuevo un poco más tarde y una persona de nuestro equipo le ayudará.',
    updateError: (id, email) =>
      email
        ? `Lamentablemente, no pude añadir este mensaje a su ticket ${id} en este momento. Escríbanos a ${email} para que una persona de nuestro equipo lo revise.`
        : `Lamentablemente, no pude añadir este mensaje a su ticket ${id} en este momento. Inténtelo de nuevo un poco más tarde para que una persona de nuestro equipo lo revise.`,
    safety:
      'Por su seguridad, deje de usar el producto (y manténgalo desenchufado si es eléctrico) hasta que nuestro equipo lo revise. Si alguien resultó herido, busque primero atención médica.',
    frustration: 'Lamento mucho las molestias y entiendo lo frustrante que es.',
  },
};
