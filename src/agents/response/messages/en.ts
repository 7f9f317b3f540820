// English catalogue. No digits here: numbers come from the context, already formatted.
import type { Messages } from './types.js';

const via = (carrier?: string): string => (carrier ? ` with ${carrier}` : '');

export const en: Messages = {
  locales: { number: 'en-US', date: 'en-US', list: 'en-US' },

  tierName: (name) => name,
  topics: {
    greeting: 'getting started',
    general_inquiry: 'how to reach us',
    order_status: 'tracking an order',
    order_modification: 'changing or cancelling an order',
    return_request: 'returning an item',
    refund_status: 'a refund',
    exchange_request: 'exchanging an item',
    product_info: 'a product',
    product_recommendation: 'product recommendations',
    product_comparison: 'comparing products',
    shipping_question: 'shipping rates and times',
    loyalty_program: 'your rewards points',
    subscription_management: 'your auto-delivery subscription',
    gift_card: 'gift cards',
    account_help: 'your account or password',
    billing_issue: 'a payment or charge',
    technical_support: 'help with a product that isn’t working',
    feedback: 'sharing feedback',
    complaint: 'a problem with your experience',
    escalation_request: 'speaking with our team',
    b2b_inquiry: 'wholesale accounts',
    out_of_scope: 'something else',
  },
  reasons: {
    'espresso-capable': 'grinds fine enough for espresso',
    'no-electricity': 'needs no electricity',
    'universal-voltage': 'works on any voltage worldwide',
    'temperature-control': 'lets you set the exact water temperature',
    ultralight: 'ultralight for backpacking',
    travel: 'great for travel',
    camping: 'made for camping and the outdoors',
    insulated: 'keeps drinks hot for a long time',
    induction: 'works on induction and every other stovetop',
    gift: 'makes a lovely gift',
    reusable: 'reusable, so no more paper filters',
    decaf: 'all the flavour without the caffeine',
    'caffeine-free': 'caffeine-free',
    rechargeable: 'rechargeable, no batteries to buy',
    timer: 'has a built-in timer',
    manual: 'quiet and hand-powered',
    electric: 'one-button convenience',
    'pour-over': 'ideal for pour-over',
    'french-press': 'ideal for French press',
    moka: 'rich, strong coffee on any stove',
    'loose-leaf': 'loose-leaf for a fuller cup',
    'medium-roast': 'a smooth, balanced medium roast',
    'black-tea': 'a brisk, malty black tea',
    bulk: 'a big bag for offices and busy households',
    'cast-iron': 'cast iron that holds heat beautifully',
    enamel: 'sturdy enamel that can go on a camp stove',
    'auto-delivery-eligible': 'available on auto-delivery',
  },
  financial: {
    pending: 'payment pending',
    authorized: 'payment authorized',
    partially_paid: 'partially paid',
    paid: 'paid',
    partially_refunded: 'partially refunded',
    refunded: 'refunded',
    voided: 'payment voided',
  },
  kbIntro: (title) => (title ? `From our “${title}” page:` : 'From our help centre:'),
  quantity: (qty, title) => `${qty} × ${title}`,

  greeting: {
    hello: (firstName) => (firstName ? `Hi ${firstName}!` : 'Hi there!'),
    intro: (shop) => `Thanks for reaching out to ${shop}.`,
    offer:
      'I can track an order, start a return or exchange, help you find the right product, or check your rewards points. What can I do for you today?',
  },

  clarify: {
    question: (topics) => `I want to make sure I get this right. Is your question about ${topics}?`,
  },

  contact: {
    phone: (phone) => `By phone, call ${phone}.`,
    reach: (shop, email) =>
      email
        ? `You can reach the ${shop} support team by email at ${email}.`
        : `You can reach the ${shop} support team right here in this chat.`,
    assistant: 'I’m here around the clock for orders, returns, products and rewards questions.',
    anythingElse: 'Is there anything specific I can help you with?',
  },

  orders: {
    askNumberAndEmail:
      'I’d be happy to check on that. Could you send me your order number (it starts with #) and the email address you used when you placed the order?',
    askNumber: 'I’d be happy to check on that. Could you send me the order number? It starts with # and is in your order confirmation email.',
    askEmail: 'Thanks! To keep your details safe, could you also send me the email address you used when you placed that order?',
    notFound:
      'I couldn’t find an order matching those details for this email address. Could you double-check the order number and the email you used when you ordered?',
    noneForCustomer:
      'I couldn’t find any orders under your email address. If you ordered with a different email, or as a guest, could you send me the order number and the email used on it?',
    header: (name, items, placed) => `Order ${name} (${items}), placed on ${placed}:`,
    preparing: 'We’ve received it and are getting it ready. It hasn’t shipped yet, and you’ll get a tracking number by email as soon as it does.',
    partial: 'Part of this order has shipped. The remaining items will follow in a separate parcel at no extra cost.',
    shippedNoDetail: 'It has shipped.',
    cancelled: (date) => `This order was cancelled on ${date}.`,
    labelCreated: (date, carrier) => `Its shipping label was created on ${date}, and it’s waiting to be picked up${carrier ? ` by ${carrier}` : ''}.`,
    inTransit: (date, carrier) => `It shipped on ${date}${via(carrier)} and is on its way to you.`,
    outForDelivery: (carrier) => `Good news: it’s out for delivery${via(carrier)} and should arrive today.`,
    delivered: (date) => (date ? `It was delivered on ${date}.` : 'It has been delivered.'),
    attempted: (carrier) =>
      `${carrier ?? 'The carrier'} tried to deliver it but couldn’t. Please look for a delivery notice: the parcel may be waiting at a nearby pickup point.`,
    failure: (carrier) => `${carrier ?? 'The carrier'} has reported a delivery problem with this parcel.`,
    failureCaseOpened: 'I’ve opened a case with our team so we can sort it out with the carrier for you.',
    failureOffer: 'If you’d like, I can ask our team to look into it with the carrier.',
    shipped: (date, carrier) => `It shipped on ${date}${via(carrier)}.`,
    tracking: (number, carrier) => (carrier ? `${carrier} tracking number: ${number}` : `Tracking number: ${number}`),
    trackingUrl: (url) => `Track it here: ${url}`,
    refundIssued: (amount, date) => `A refund of ${amount} was issued on ${date}.`,
    intro: (firstName) => (firstName ? `Thanks, ${firstName}. Here’s the latest on your order.` : 'Here’s the latest on your order.'),
    introMany: (firstName) =>
      firstName ? `Thanks, ${firstName}. Here’s the latest on your recent orders.` : 'Here’s the latest on your recent orders.',
    whichOrder: (list) => `Which order is this about? I can see ${list}.`,
  },

  modification: {
    canChange: (name) =>
      `Order ${name} hasn’t shipped yet, so it can still be changed or cancelled: we can update the address within the same country, swap a size, colour or grind, add or remove items, upgrade shipping, or cancel it.`,
    teamWillDoIt: 'I’ve passed your request to our team, and they’ll make the change and confirm it by email.',
    howTo: 'Just tell me exactly what you’d like to change, and our team will take care of it and confirm by email.',
    partial: (name) =>
      `Part of order ${name} has already shipped. The items that haven’t shipped yet can still be changed or cancelled, but the shipped parcel can’t.`,
    shippedCannot: (name, windowDays) =>
      `Order ${name} has already shipped, so it can no longer be changed or cancelled. Once it arrives, you can return any item within ${windowDays} days of delivery, and I’d be glad to help you start that return.`,
    deliveredCannot: (name, date, windowDays) =>
      `Order ${name} was delivered on ${date}, so it can no longer be changed or cancelled. You can return any item within ${windowDays} days of delivery, and I’d be glad to help you start that return.`,
    alreadyCancelled: (name, date) => `Order ${name} was already cancelled on ${date}.`,
  },

  returns: {
    policySummary: (windowDays, limit) =>
      `You can return items within ${windowDays} days of delivery, and returns worth up to ${limit} are approved right away.`,
    approved: (name, rma) => `Good news: your return for order ${name} is approved. Your return authorization (RMA) number is ${rma}.`,
    approvedNoRma: (name) => `Good news: your return for order ${name} is approved.`,
    packing:
      'Please make sure the items are unused or only gently tried, clean and complete, then pack them in their original packaging with a note showing your RMA number inside the box.',
    labelFallback: 'If a prepaid return label applies to your address, it comes with your return instructions.',
    deadline: (date) => `Returns for this order are accepted until ${date}.`,
    overLimit: (name, amount, limit) =>
      `The items you’d like to return from order ${name} come to ${amount}, which is above our ${limit} limit for automatic approval.`,
    overLimitNote: 'Most of these returns are approved: the review mainly checks the condition and completeness of the items.',
    outsideWindow: (name, windowDays, delivered, deadline) =>
      `${delivered ? `Order ${name} was delivered on ${delivered}. ` : ''}Our return window is ${windowDays} days from delivery${deadline ? `, and for this order it ended on ${deadline}` : ''}, so this return can’t be approved automatically.`,
    outsideWindowNote: 'If the item has developed a fault, it may still be covered by our warranty.',
    specialistReview: 'A returns specialist will review your request and get back to you.',
    notShippedYet: (name) =>
      `Order ${name} hasn’t shipped yet, so there’s nothing to send back. The good news is that it can still be changed or cancelled. Would you like me to ask our team to do that?`,
    inTransitYet: (name, windowDays) =>
      `Order ${name} hasn’t been delivered yet. Once it arrives, you’ll have ${windowDays} days from delivery to start a return.`,
    cancelled: (name, date) => `Order ${name} was cancelled${date ? ` on ${date}` : ''}, so there’s nothing to return.`,
    alreadyRefunded: (name) => `Order ${name} has already been refunded, so there’s nothing left to return.`,
    whichOrder: (list) => `Which order would you like to return items from? I can see ${list}.`,
    startWhich: (list) => `If you’d like to start a return, tell me which order: I can see ${list}.`,
    whichItems: (order, items) => `Which items from order ${order} would you like to return: ${items}? If it’s the whole order, just say so.`,
  },

  refunds: {
    issued: (name, amount, date) => `A refund of ${amount} for order ${name} was issued on ${date}.`,
    markedRefunded: (name, status) => `Order ${name} is marked as ${status}.`,
    noneYet: (name, status) => `I don’t see a refund on order ${name} yet. Its current status is: ${status}.`,
    afterReturn: 'If you’ve sent items back, the refund is issued once the parcel reaches us and has been inspected.',
    bankDelay: 'Refunds go back to your original payment method, and your bank may take a few business days to show it.',
  },

  exchanges: {
    approved: (name, rma) =>
      `Your exchange for order ${name} is approved. Your return authorization (RMA) number is ${rma}: send the item back with that number inside the box, and we’ll ship the replacement as soon as it’s scanned by the carrier.`,
    policy: (windowDays, limit) =>
      `You can exchange an item for a different size, colour or model within ${windowDays} days of delivery, as long as it’s unused, clean, complete and in its original packaging. Exchanges worth more than ${limit} are reviewed by our team first.`,
    eligible: (name, delivered) => `Order ${name} was delivered on ${delivered}, so it’s within the exchange window.`,
    eligibleUntil: (name, deadline) => `Order ${name} can be exchanged until ${deadline}.`,
    outside: (name, windowDays, delivered) =>
      `Order ${name} was delivered on ${delivered}, which is more than ${windowDays} days ago, so it’s outside the exchange window. If the item is faulty, it may be covered by our warranty.`,
    notDelivered: (name, windowDays) =>
      `Order ${name} hasn’t been delivered yet. Once it arrives, you’ll have ${windowDays} days to ask for an exchange.`,
    cancelled: (name) => `Order ${name} was cancelled, so it can’t be exchanged.`,
    offer: 'Would you like me to start the exchange? Just tell me which item you’d like instead.',
  },

  products: {
    priceOne: (title, price) => `${title} is ${price}.`,
    priceRange: (title, min, max) => `${title} is ${min} to ${max}, depending on the option.`,
    inStock: 'in stock',
    onlyLeft: (count) => `only ${count} left`,
    outOfStock: 'out of stock at the moment',
    backorder: 'on backorder: you can still order it, and it ships as soon as it’s back',
    variantStatus: (variant, status) => `${variant} (${status})`,
    availability: (list) => `Availability: ${list}.`,
    discontinued: (title) => `${title} has been discontinued and is no longer available.`,
    askWhich: 'Which product would you like to know more about? Tell me its name and I’ll look it up.',
    infoOutro: 'Would you like more details, or help choosing an option?',
    recommendIntro: 'Here are a few I’d recommend:',
    recommendLine: (title, price, why) => `• ${title} (${price})${why ? `: ${why}` : ''}`,
    recommendOutro: 'Would you like more details on any of these?',
    askNeeds: 'Happy to help you choose! What will you mainly brew, and do you need it for home, the office or the outdoors?',
    compareIntro: (a, b) => `Here’s how ${a} and ${b} compare:`,
    compareLine: (title, price, details) => `• ${title}: ${price}${details ? `, ${details}` : ''}`,
    compareOnlyIn: (title, reasons) => `Where ${title} stands out: ${reasons}.`,
    compareAskSecond: (title) => `Which product would you like to compare ${title} with?`,
    compareOutro: 'Let me know how you’ll use it, and I can help you decide.',
  },

  shipping: {
    freeThreshold: (amount) => `Standard shipping is free on orders of ${amount} or more.`,
    noKb: 'Shipping rates and delivery times depend on your country and the service you choose, and you’ll see every option at checkout.',
    trackingHelp: 'Once your order ships, we email you a tracking number and link.',
  },

  loyalty: {
    earn: (points, perAmount, plural) => `You earn ${points} ${plural ? 'points' : 'point'} for every ${perAmount} you spend.`,
    redeem: (points, value) => `Every ${points} points can be redeemed for ${value} off at checkout.`,
    tiers: (list) => `Our tiers are ${list}.`,
    tierItem: (name, minPoints, n) => `${name} from ${minPoints} ${n === 1 ? 'point' : 'points'}`,
    balance: (points, tier, n) => `You currently have ${points} ${n === 1 ? 'point' : 'points'}, which puts you in the ${tier} tier.`,
    nextTier: (tier, minPoints, n) => `The next tier, ${tier}, starts at ${minPoints} ${n === 1 ? 'point' : 'points'}.`,
    topTier: 'That’s our highest tier. Thank you for being such a loyal customer!',
    noBalance: 'I couldn’t find a points balance on your account yet.',
    askEmail: 'If you share the email address on your account, I can check your points balance and tier.',
  },

  subscription: {
    // The account shows that a subscription exists, not whether it is paused: never "active".
    active: (firstName) =>
      `${firstName ? `${firstName}, your` : 'Your'} account has an auto-delivery subscription; its next shipment date, and whether it is paused, are under Account → Auto-Delivery.`,
    options:
      'You can skip the next shipment, pause it, change how often it comes, change the items, or cancel at any time under Account → Auto-Delivery.',
    offer: 'Would you like me to skip, pause, change or cancel it for you?',
    notActive: 'I don’t see an auto-delivery subscription on your account.',
    explain:
      'Auto-delivery sends your coffee, tea and brewing supplies on a schedule you choose. You can skip, pause, change or cancel whenever you like.',
    askEmail: 'If you share the email address on your account, I can look up your subscription.',
  },

  giftCards: {
    range: (min, max) => `Our digital gift cards are delivered by email and can be worth anything from ${min} to ${max}.`,
    noExpiry: 'They never expire and have no fees.',
    balance: 'You can check the balance by applying the code at checkout, or our team can check it for you.',
  },

  account: {
    generic:
      'To reset your password, use the “Forgot password?” link on the sign-in page and enter the email address on your account. We’ll email you a reset link that works once.',
    emailChange:
      'To change your email address, sign in and update it in your account profile, then confirm it from the link we send to the new address.',
    neverPassword: 'We’ll never ask for your password.',
  },

  billing: {
    orderLine: (name, total, status) => `Order ${name}: total ${total}, ${status}.`,
    generic:
      'If you see two charges after a checkout problem, one is usually a pending authorization: a temporary hold that your bank releases automatically. Only orders confirmed by email are actually charged.',
    askDetails: 'If you still see a charge you don’t recognise, please send me the order number and the date and amount of the charge, and we’ll sort it out.',
  },

  technical: {
    sorry: (product) => (product ? `I’m sorry your ${product} is giving you trouble.` : 'I’m sorry your product is giving you trouble.'),
    incident: (product) => (product ? `I’m so sorry this happened with your ${product}.` : 'I’m so sorry this happened.'),
    generic:
      'Please unplug it before checking or cleaning it. If you notice a burning smell, smoke, sparks or a damaged cord, stop using it straight away.',
    nextSteps:
      'If that doesn’t fix it, send us your order number, a photo or short video, and the serial number for electrical products, and our team will help, including under the warranty.',
  },

  feedback: {
    positive: 'Thank you so much for the kind words! I’ll make sure the team hears them.',
    neutral: 'Thank you for your feedback. I’ll pass it on to our team, as it really helps us improve.',
    negative: 'Thank you for telling us, and I’m sorry it wasn’t a better experience. I’ll pass your feedback on to our team.',
  },

  complaint: {
    apology: (firstName) =>
      firstName
        ? `I’m really sorry, ${firstName}. That’s not the experience we want you to have.`
        : 'I’m really sorry about this. That’s not the experience we want you to have.',
    askDetails: 'Could you tell me a little more about what happened, and your order number if it’s about an order, so I can help put it right?',
  },

  escalationRequest: {
    ack: 'Of course. I’ll connect you with a member of our team.',
    contact: (email) =>
      email
        ? `You can reach our team directly at ${email}, and they’ll be glad to help.`
        : 'You can reach our team directly by replying to any order email, and they’ll be glad to help.',
  },

  b2b: {
    thanks: 'Thank you for your interest in working with us!',
    generic:
      'Our wholesale team looks after cafés, retailers and offices. Tell us your business name, address and website, and they’ll follow up with pricing and terms.',
  },

  outOfScope: {
    polite: (shop) =>
      `I’m sorry, that’s outside what I can help with here. As the ${shop} assistant, I can track orders, handle returns and exchanges, answer product and shipping questions, and check your rewards points.`,
  },

  tickets: {
    status: {
      new: 'waiting for a team member',
      open: 'open',
      pending: 'waiting for your reply',
      hold: 'on hold',
      solved: 'solved',
      closed: 'closed',
    },
    next: {
      new: 'It’s in our team’s queue, and someone will pick it up shortly.',
      open: 'Our team is working on it and will keep you updated by email.',
      pending: 'Our team needs a little more information from you: please reply to their last email so they can carry on.',
      hold: 'Our team is waiting to hear back from a partner, such as the carrier or the manufacturer, and will update you as soon as they do.',
      solved: 'If something still isn’t right, just reply to the last email about it and it will reopen.',
      closed: 'If you still need help with it, tell me what’s going on and I’ll help you from here.',
    },
    one: (id, subject, opened, status) =>
      `Your request ${id}${subject ? ` “${subject}”` : ''}${opened ? `, opened on ${opened},` : ''} is ${status}.`,
    manyIntro: 'Here are your support requests:',
    item: (id, subject, opened, status) => `${id}${subject ? ` “${subject}”` : ''}${opened ? ` (opened on ${opened})` : ''}: ${status}`,
    none: 'I don’t see any support request under your email address. If you wrote to us in the last few minutes, it may not show up yet; otherwise, tell me what it’s about and I’ll help.',
    notFound: 'I couldn’t find a request with that number under your email address, so I can’t share anything about it.',
    unavailable: (email) =>
      email
        ? `I can’t look up your support requests just now. Please try again a little later, or email us at ${email}.`
        : 'I can’t look up your support requests just now. Please try again a little later.',
    signIn:
      'For your privacy, I can only look up a support request when you’re signed in with the email address it was opened under. You can also reply to any email our team sent you about it.',
    related: (id, subject, status) => `You already have a request open with us about this: ${id}${subject ? ` “${subject}”` : ''} (${status}).`,
  },

  handoff: {
    byPriority: {
      urgent: 'I’ve marked this as urgent and passed it to our team. Someone will contact you as soon as possible.',
      high: 'I’ve passed this to our team as a priority, and a team member will get back to you shortly.',
      normal: 'I’ve passed this to our support team, and a team member will follow up with you by email.',
      low: 'I’ve passed this to our support team, and a team member will follow up with you by email.',
    },
    sales: 'I’ve passed your request to our wholesale team, and they’ll follow up with you by email.',
    ticket: (id) => `Your ticket number is ${id}.`,
    error: (email) =>
      email
        ? `Unfortunately, I wasn’t able to open a support ticket just now. Please email us at ${email} and a member of our team will help you.`
        : 'Unfortunately, I wasn’t able to open a support ticket just now. Please try again a little later, and a member of our team will help you.',
    updateError: (id, email) =>
      email
        ? `Unfortunately, I wasn’t able to add this to your support ticket ${id} just now. Please email us at ${email} so a member of our team can look at it.`
        : `Unfortunately, I wasn’t able to add this to your support ticket ${id} just now. Please try again a little later so a member of our team can look at it.`,
    safety:
      'For your safety, please stop using the product (and keep it unplugged if it is electric) until our team has looked into it. If anyone is hurt, please get medical help first.',
    frustration: 'I’m sorry for the trouble, and I understand how frustrating this is.',
  },
};
