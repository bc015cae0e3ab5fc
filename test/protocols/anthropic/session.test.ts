import { describe, expect, it } from 'vitest';
import { isBackgroundRequest } from '../../../src/models/background.ts';
import { parseMessagesBody, type MessagesRequest } from '../../../src/protocols/anthropic/request-schema.ts';
import {
  backgroundFeatures,
  sessionFromUserId,
  sessionSource,
} from '../../../src/protocols/anthropic/session.ts';
import { sessionKeyFor } from '../../../src/proxy/session-key.ts';
import { BILLING, claudeCodeRequest, DEVICE_ID, SESSION_ID } from './request-fixtures.ts';

function parse(body: Record<string, unknown>): MessagesRequest {
  const result = parseMessagesBody(body, 'messages');
  if (!result.ok) throw new Error(result.message);
  return result.request;
}

describe('sessionFromUserId', () => {
  it("reads the session of Claude Code's JSON user_id (2.1.78 and later)", () => {
    const userId = JSON.stringify({ device_id: DEVICE_ID, account_uuid: '', session_id: SESSION_ID });
    expect(sessionFromUserId(userId)).toBe(SESSION_ID);
    const subAgent = JSON.stringify({ device_id: DEVICE_ID, session_id: SESSION_ID, parent_session_id: 'p' });
    expect(sessionFromUserId(subAgent)).toBe(SESSION_ID);
  });

  it('reads the legacy user_<hex>_account_<uuid>_session_<uuid> form', () => {
    const account = '6f1d2c3b-1111-4222-8333-944455556666';
    expect(sessionFromUserId(`user_${DEVICE_ID}_account_${account}_session_${SESSION_ID}`)).toBe(SESSION_ID);
    expect(sessionFromUserId(`user_${DEVICE_ID}_account__session_${SESSION_ID}`)).toBe(SESSION_ID);
    expect(sessionFromUserId(`user_${DEVICE_ID}_account__session_`)).toBeUndefined();
  });

  it("takes another client's own id whole, but not a device-only JSON id", () => {
    expect(sessionFromUserId('customer-42')).toBe('customer-42');
    expect(sessionFromUserId('{not json')).toBe('{not json');
    expect(sessionFromUserId(JSON.stringify({ device_id: DEVICE_ID }))).toBeUndefined();
    expect(sessionFromUserId('  ')).toBeUndefined();
    expect(sessionFromUserId(null)).toBeUndefined();
  });
});

describe('sessionSource', () => {
  it("gives Claude Code's session id, and texts free of the billing line and reminders", () => {
    const source = sessionSource(parse(claudeCodeRequest()), {});
    expect(source).toEqual({
      explicit: SESSION_ID,
      firstSystemText: "You are Claude Code, Anthropic's official CLI for Claude.",
      firstUserText: 'fix the bug in src/parse.ts',
    });
  });

  it('gives the same hash-based key for two turns of one conversation without a session id', () => {
    const first: Record<string, unknown> = { ...claudeCodeRequest(), metadata: undefined };
    const messages = first.messages as unknown[];
    const second = {
      ...first,
      system: [
        { type: 'text', text: BILLING.replace('cch=3f2a1', 'cch=9c0d4') },
        ...(first.system as unknown[]).slice(1),
      ],
      messages: [
        ...messages,
        { role: 'assistant', content: 'Done.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: '<system-reminder>later</system-reminder>' },
            { type: 'text', text: 'thanks' },
          ],
        },
      ],
    };
    const key = (body: Record<string, unknown>) =>
      sessionKeyFor({ headers: {}, ...sessionSource(parse(body), {}) });
    expect(key(first)).toMatch(/^hash:/);
    expect(key(second)).toBe(key(first));
  });

  it('uses role:"system" messages and string contents when that is all there is', () => {
    const source = sessionSource(
      parse({
        model: 'm',
        max_tokens: 10,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: '<system-reminder>ctx</system-reminder>' },
          { role: 'user', content: 'real question' },
        ],
      }),
    );
    expect(source).toEqual({ firstSystemText: 'Be brief.', firstUserText: 'real question' });
  });
});

describe('backgroundFeatures', () => {
  it("describes Claude Code's main request as foreground work", () => {
    const features = backgroundFeatures(parse(claudeCodeRequest()));
    expect(features).toEqual({
      systemTexts: [
        "You are Claude Code, Anthropic's official CLI for Claude.",
        expect.stringContaining('interactive CLI'),
      ],
      userTexts: ['fix the bug in src/parse.ts', 'fix the bug in src/parse.ts'],
      maxTokens: 32000,
      toolCount: 2,
    });
    expect(isBackgroundRequest({ protocol: 'anthropic', ...features }).background).toBe(false);
  });

  it("lets a title request and Claude Code's quota probe be recognised", () => {
    const title = backgroundFeatures(
      parse({
        model: 'claude-haiku-4-5-20251001',
        max_tokens: 512,
        system: [
          { type: 'text', text: BILLING },
          {
            type: 'text',
            text: 'Generate a concise, sentence-case title (3-7 words) that captures the main topic.',
          },
        ],
        messages: [{ role: 'user', content: 'fix the bug in src/parse.ts' }],
      }),
    );
    expect(isBackgroundRequest({ protocol: 'anthropic', ...title })).toEqual({
      background: true,
      reason: 'claude-code session title',
    });

    const probe = backgroundFeatures(
      parse({ model: 'claude-haiku-4-5', max_tokens: 1, messages: [{ role: 'user', content: 'quota' }] }),
    );
    expect(probe).toEqual({ systemTexts: [], userTexts: ['quota', 'quota'], maxTokens: 1, toolCount: 0 });
    expect(isBackgroundRequest({ protocol: 'anthropic', ...probe }).background).toBe(true);
  });

  it('reads the first and the last user message, tool results and reminders aside', () => {
    const features = backgroundFeatures(
      parse({
        model: 'm',
        max_tokens: 100,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: '<system-reminder>x</system-reminder>' },
              { type: 'text', text: 'Warmup' },
            ],
          },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'Read', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'file' }] },
        ],
      }),
    );
    expect(features.userTexts).toEqual(['Warmup', '']);
  });
});
