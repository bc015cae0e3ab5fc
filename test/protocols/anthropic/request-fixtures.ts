/**
 * Client bodies as Anthropic clients send them, for the request-side tests: Claude Code's first
 * request (wire.md §4.8) and a tool loop with thinking, signed by whoever the test says.
 */
import { SignatureBook } from '../../../src/protocols/shared/signature-book.ts';

export const BILLING = 'x-anthropic-billing-header: cc_version=2.1.220.a1b; cc_entrypoint=cli; cch=3f2a1;';
export const SESSION_ID = '0b6c3f5e-2d7a-4c1e-9b1a-8f2e6d4c3b21';
export const DEVICE_ID = '4f1c'.repeat(16);

/** Claude Code 2.1's request of wire.md §4.8, with a longer system prompt and two tools. */
export function claudeCodeRequest(): Record<string, unknown> {
  return {
    model: 'claude-sonnet-4-6',
    max_tokens: 32000,
    stream: true,
    metadata: {
      user_id: JSON.stringify({ device_id: DEVICE_ID, account_uuid: '', session_id: SESSION_ID }),
    },
    system: [
      { type: 'text', text: BILLING },
      {
        type: 'text',
        text: "You are Claude Code, Anthropic's official CLI for Claude.",
        cache_control: { type: 'ephemeral' },
      },
      {
        type: 'text',
        text: 'You are an interactive CLI tool that helps users with software engineering tasks.\n\n# Environment\nWorking directory: /home/dev/app\nPlatform: linux',
        cache_control: { type: 'ephemeral', ttl: '1h' },
      },
    ],
    messages: [
      {
        role: 'user',
        content: [
          {
            type: 'text',
            text: "<system-reminder>\nAs you answer the user's questions, you can use the following context:\n# claudeMd\nUse pnpm.\n</system-reminder>",
          },
          { type: 'text', text: 'fix the bug in src/parse.ts', cache_control: { type: 'ephemeral' } },
        ],
      },
    ],
    tools: [
      {
        name: 'Bash',
        description: 'Executes a given bash command in a persistent shell session.',
        input_schema: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          properties: {
            command: { type: 'string', description: 'The command to execute' },
            timeout: { type: 'number', description: 'Optional timeout in milliseconds (max 600000)' },
          },
          required: ['command'],
          additionalProperties: false,
        },
      },
      {
        name: 'mcp__github__create_issue',
        description: 'Create an issue',
        input_schema: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          properties: { title: { type: 'string' }, body: { type: 'string' } },
          required: ['title'],
        },
        cache_control: { type: 'ephemeral' },
      },
    ],
    thinking: { type: 'adaptive' },
    output_config: { effort: 'high' },
    context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
    temperature: 1,
  };
}

/** A signature of realistic length (opaque: the product never decodes one). */
export function signature(tag: string): string {
  return `RXBn${Buffer.from(`signature:${tag}:`.repeat(12)).toString('base64')}`;
}

export const CLAUDE_SIG = signature('claude-1');
export const CLAUDE_SIG_2 = signature('claude-2');
export const GEMINI_SIG = signature('gemini-1');
export const GEMINI_CALL_SIG = signature('gemini-call');
export const UNKNOWN_SIG = signature('unknown');

/** A signature book that knows the signatures above as this proxy relayed them. */
export function knownSignatures(sessionKey = 'session-a'): SignatureBook {
  const book = new SignatureBook();
  book.recordThinking(CLAUDE_SIG, { family: 'claude', accountId: 'acct-1' });
  book.recordThinking(CLAUDE_SIG_2, { family: 'claude', accountId: 'acct-1' });
  book.recordThinking(GEMINI_SIG, { family: 'gemini', accountId: 'acct-2' });
  book.recordToolCall('toolu_02', GEMINI_CALL_SIG, { family: 'gemini', accountId: 'acct-2' }, sessionKey);
  return book;
}

/**
 * fix a bug: read the file (thinking signed `first`), then edit it (thinking signed `second`);
 * the client now sends the edit's result.
 */
export function toolLoopRequest(first: string, second: string): Record<string, unknown> {
  return {
    model: 'claude-sonnet-4-6',
    max_tokens: 16000,
    thinking: { type: 'enabled', budget_tokens: 8000 },
    system: 'You are a coding agent.',
    tools: [
      {
        name: 'Read',
        description: 'Read a file',
        input_schema: {
          type: 'object',
          properties: { file_path: { type: 'string' } },
          required: ['file_path'],
        },
      },
      {
        name: 'Edit',
        description: 'Edit a file',
        input_schema: {
          type: 'object',
          properties: { file_path: { type: 'string' }, old: { type: 'string' }, new: { type: 'string' } },
        },
      },
    ],
    messages: [
      { role: 'user', content: 'fix the off-by-one in src/parse.ts' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'I should read the file first.', signature: first },
          { type: 'text', text: 'Let me read it.' },
          { type: 'tool_use', id: 'toolu_01', name: 'Read', input: { file_path: 'src/parse.ts' } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_01',
            content: [{ type: 'text', text: 'for (let i = 0; i <= n; i++) {}' }],
          },
        ],
      },
      {
        role: 'assistant',
        content: [
          // Out of order on purpose: some clients put the text after the call.
          {
            type: 'tool_use',
            id: 'toolu_02',
            name: 'Edit',
            input: { file_path: 'src/parse.ts', old: '<=', new: '<' },
          },
          { type: 'text', text: 'Fixing the bound.' },
          { type: 'thinking', thinking: 'The loop runs one step too far.', signature: second },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_02', content: 'Edited src/parse.ts' },
          { type: 'text', text: '<system-reminder>The file changed.</system-reminder>' },
        ],
      },
    ],
  };
}
