import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Ga4Client } from '../../../src/agents/integrations/ga4.js';
import { IntegrationError } from '../../../src/agents/integrations/http.js';
import { defaultMailchimpUrl, MailchimpClient, subscriberHash } from '../../../src/agents/integrations/mailchimp.js';
import { requestsTo, startHarness, type Harness } from './helpers.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.mocks.close();
});
beforeEach(() => {
  h.mocks.state.reset();
});

const NEWSLETTER = 'f3a91c20d7';

describe('MailchimpClient against the mock (demo shop)', () => {
  it('lists audiences with subscribed-only member counts', async () => {
    expect(await h.mailchimp.lists()).toEqual([
      { id: 'f3a91c20d7', name: 'Cinderfell Field Notes (newsletter)', memberCount: 9, unsubscribeCount: 1 },
      { id: '7be2046c51', name: 'Auto-Delivery Reminders', memberCount: 3, unsubscribeCount: 0 },
    ]);
  });

  it('looks a member up by md5(lowercase email)', async () => {
    expect(subscriberHash('Marcus.Reid@Example.net')).toBe('b301d4e7ca8be4444c15ca44786a94e5');
    const marcus = await h.mailchimp.member(NEWSLETTER, 'Marcus.Reid@example.net');
    expect(marcus).toEqual({
      id: 'b301d4e7ca8be4444c15ca44786a94e5',
      email: 'marcus.reid@example.net',
      status: 'unsubscribed',
      language: 'en',
      mergeFields: { FNAME: 'Marcus', LNAME: 'Reid' },
      tags: [],
      listId: NEWSLETTER,
    });
    expect(requestsTo(h.mocks, 'mailchimp').at(-1)?.path).toBe(
      `/3.0/lists/${NEWSLETTER}/members/b301d4e7ca8be4444c15ca44786a94e5`,
    );
    expect((await h.mailchimp.member(NEWSLETTER, 'jordan.pike@example.net'))?.tags).toEqual(['wholesale']);
    expect(await h.mailchimp.member(NEWSLETTER, 'nobody@example.com')).toBeNull();
  });

  it('upserts members (PUT): adds a new one, updates an existing one, stats follow', async () => {
    const added = await h.mailchimp.upsertMember(NEWSLETTER, 'Grace.Whitfield@example.com', {
      mergeFields: { FNAME: 'Grace', LNAME: 'Whitfield' },
      language: 'en',
    });
    expect(added).toMatchObject({ email: 'Grace.Whitfield@example.com', status: 'subscribed', id: subscriberHash('grace.whitfield@example.com') });
    const resubscribed = await h.mailchimp.upsertMember(NEWSLETTER, 'marcus.reid@example.net', { status: 'subscribed' });
    expect(resubscribed.status).toBe('subscribed');
    expect(resubscribed.mergeFields).toEqual({ FNAME: 'Marcus', LNAME: 'Reid' });
    const [newsletter] = await h.mailchimp.lists();
    expect(newsletter).toMatchObject({ memberCount: 11, unsubscribeCount: 0 });
    const put = requestsTo(h.mocks, 'mailchimp').find((r) => r.method === 'PUT');
    expect(put?.body).toEqual({
      email_address: 'Grace.Whitfield@example.com',
      status_if_new: 'subscribed',
      merge_fields: { FNAME: 'Grace', LNAME: 'Whitfield' },
      language: 'en',
    });
  });

  it('unknown list → IntegrationError 404 on upsert; wrong key → 401 problem+json, key not in message', async () => {
    await expect(h.mailchimp.upsertMember('nope', 'a@example.com')).rejects.toMatchObject({ status: 404 });
    const key = 'deadbeefcafe-us21';
    const client = new MailchimpClient({ baseUrl: h.mocks.urls.mailchimp, apiKey: key });
    const error = await client.lists().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error).toMatchObject({ status: 401, body: { title: 'API Key Invalid', status: 401 } });
    expect((error as Error).message).not.toContain(key);
  });

  it('derives the data-centre URL from the key', () => {
    expect(defaultMailchimpUrl('0123456789abcdef-us21')).toBe('https://us21.api.mailchimp.com');
  });
});

describe('Ga4Client against the mock', () => {
  const events = (n: number) => Array.from({ length: n }, (_, i) => ({ name: 'chat_step', params: { step: i } }));

  it('splits events into batches of at most 25 per request', async () => {
    expect(await h.ga4.sendEvents('client-1', events(60), { userId: 'u-1' })).toEqual({ requests: 3, events: 60 });
    const posts = requestsTo(h.mocks, 'ga4', '/mp/collect');
    expect(posts.map((p) => p.status)).toEqual([204, 204, 204]);
    expect(h.mocks.state.ga4.requests.map((r) => r.events.length)).toEqual([25, 25, 10]);
    expect(h.mocks.state.ga4.events).toHaveLength(60);
    expect(h.mocks.state.ga4.events.map((e) => e.params.step)).toEqual([...Array(60).keys()]);
    expect(h.mocks.state.ga4.events[0]).toMatchObject({ clientId: 'client-1', userId: 'u-1', name: 'chat_step' });
    expect(posts[0]?.query).toEqual({
      measurement_id: h.mocks.credentials.ga4.measurementId,
      api_secret: h.mocks.credentials.ga4.apiSecret,
    });
    expect(await h.ga4.sendEvents('client-1', [])).toEqual({ requests: 0, events: 0 });
  });

  it('validate() uses the debug endpoint: [] for good events, messages for bad ones', async () => {
    expect(await h.ga4.validate('client-1', events(3))).toEqual([]);
    const messages = await h.ga4.validate('client-1', [{ name: 'ok_event' }, { name: '_reserved' }, { name: '1bad' }]);
    expect(messages.map((m) => [m.fieldPath, m.validationCode])).toEqual([
      ['events[1].name', 'NAME_INVALID'],
      ['events[2].name', 'NAME_INVALID'],
    ]);
    expect(h.mocks.state.ga4.events).toHaveLength(0); // debug events are never stored
  });

  it('like GA4, a wrong api_secret is accepted with 204 but the events are dropped; validate() reveals it', async () => {
    const client = new Ga4Client({
      baseUrl: h.mocks.urls.ga4,
      measurementId: h.mocks.credentials.ga4.measurementId,
      apiSecret: 'wrong-secret',
    });
    expect(await client.sendEvents('c', events(2))).toEqual({ requests: 1, events: 2 });
    expect(h.mocks.state.ga4.events).toHaveLength(0);
    expect(h.mocks.state.ga4.requests[0]).toMatchObject({ accepted: false });
    expect((await client.validate('c', events(1))).map((m) => m.fieldPath)).toEqual(['api_secret']);
  });

  it('a 5xx from GA4 is retried, and the api_secret never shows in an error', async () => {
    h.mocks.state.faults.ga4 = { status: 500 };
    const error = await h.ga4.sendEvents('c', events(1)).catch((e: unknown) => e);
    expect(error).toMatchObject({ service: 'ga4', status: 500, attempts: 1 });
    expect((error as Error).message).not.toContain(h.mocks.credentials.ga4.apiSecret);
    h.mocks.state.faults.ga4 = { status: 503, times: 1 };
    expect(await h.ga4.sendEvents('c', events(1))).toEqual({ requests: 1, events: 1 });
  });
});
