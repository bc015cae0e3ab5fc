import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from '../../helpers/app.ts';

let env: TestEnvironment;
beforeAll(async () => {
  env = await startTestEnvironment();
  await env.importAccounts('alice.pro@gmail.com', 'carol.ultra@gmail.com');
});
afterAll(async () => {
  await env.close();
});

async function messages(
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
  query = '?beta=true',
) {
  const response = await fetch(`${env.url}/v1/messages${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify({ max_tokens: 256, messages: [{ role: 'user', content: 'hello' }], ...body }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const upstreamCalls = () => env.sim.requests.filter((r) => r.rpc === 'streamGenerateContent');
const lastUpstream = () =>
  upstreamCalls().at(-1)!.body as { model: string; request: Record<string, unknown> };

describe('Anthropic routes', () => {
  it('answers Claude Code’s heartbeat and telemetry with 200 {} at once, without forwarding them', async () => {
    const before = env.sim.requests.length;
    for (const path of ['/', '/api/event_logging/batch']) {
      const response = await fetch(`${env.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events: [{ name: 'x' }] }),
      });
      expect(response.status, path).toBe(200);
      expect(await response.json()).toEqual({});
    }
    expect(env.sim.requests.length).toBe(before);
  });

  it('maps Claude Code’s default ids, with the context-size suffix, by the default rules', async () => {
    const answer = await messages({ model: 'claude-sonnet-4-5-20250929[1m]' });
    expect(answer.status).toBe(200);
    expect(answer.body.model).toBe('claude-sonnet-4-5-20250929[1m]');
    expect(lastUpstream().model).toBe('claude-sonnet-4-6');
    const haiku = await messages({ model: 'claude-haiku-4-5-20251001' });
    expect(haiku.status).toBe(200);
    expect(lastUpstream().model).toBe('gemini-3-flash');
  });

  it('strips cache_control everywhere and accepts unknown betas and context_management', async () => {
    const answer = await messages(
      {
        model: 'claude-sonnet-4-6',
        system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
        messages: [
          {
            role: 'user',
            content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral', ttl: '1h' } }],
          },
        ],
        context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
      },
      { 'anthropic-beta': 'context-management-2025-06-27,some-future-beta-2030-01-01' },
    );
    expect(answer.status).toBe(200);
    expect(JSON.stringify(lastUpstream())).not.toContain('cache_control');
  });

  it('takes the session from X-Claude-Code-Session-Id, then metadata.user_id (JSON, then the legacy form)', async () => {
    const sessionOf = () => lastUpstream().request.sessionId;
    const userId = (session: string) =>
      JSON.stringify({ device_id: 'a'.repeat(64), account_uuid: '', session_id: session });

    await messages(
      { model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'one' }] },
      { 'x-claude-code-session-id': 'S-1' },
    );
    const byHeader = sessionOf();
    await messages(
      {
        model: 'claude-sonnet-4-6',
        messages: [{ role: 'user', content: 'two' }],
        metadata: { user_id: userId('other') },
      },
      { 'x-claude-code-session-id': 'S-1' },
    );
    expect(sessionOf()).toBe(byHeader);

    await messages({
      model: 'claude-sonnet-4-6',
      messages: [{ role: 'user', content: 'three' }],
      metadata: { user_id: userId('S-2') },
    });
    const byJson = sessionOf();
    await messages({
      model: 'claude-sonnet-4-6',
      messages: [{ role: 'user', content: 'four' }],
      metadata: { user_id: userId('S-2') },
    });
    expect(sessionOf()).toBe(byJson);
    expect(byJson).not.toBe(byHeader);

    const legacy = `user_${'b'.repeat(64)}_account_00000000-0000-0000-0000-000000000000_session_11111111-2222-3333-4444-555555555555`;
    await messages({
      model: 'claude-sonnet-4-6',
      messages: [{ role: 'user', content: 'five' }],
      metadata: { user_id: legacy },
    });
    const byLegacy = sessionOf();
    await messages({
      model: 'claude-sonnet-4-6',
      messages: [{ role: 'user', content: 'six' }],
      metadata: { user_id: legacy },
    });
    expect(sessionOf()).toBe(byLegacy);
  });

  it('refuses a malformed body with an invalid_request_error naming the field, never a 500', async () => {
    for (const body of [
      { model: 'claude-sonnet-4-6', messages: 'x' },
      { model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: [{ type: 'image', source: 5 }] }] },
      { model: 'claude-sonnet-4-6', max_tokens: 'many' },
      { model: 7 },
    ]) {
      const answer = await messages(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    }
  });
});
