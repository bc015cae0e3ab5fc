/**
 * Setup snippets for real clients, filled with this server's origin, a key and a model. The variable
 * and option names follow ../shared/spec/clients.md (each client was run against a local endpoint
 * with them) and the SDK sources: `openai` reads OPENAI_BASE_URL / OPENAI_API_KEY and takes
 * `baseURL`; `@anthropic-ai/sdk` reads ANTHROPIC_BASE_URL / ANTHROPIC_API_KEY (ANTHROPIC_AUTH_TOKEN
 * sends a Bearer token instead) and appends /v1/messages itself; `@google/genai` reads
 * GOOGLE_GEMINI_BASE_URL / GEMINI_API_KEY and takes `httpOptions.baseUrl` (Python: `http_options`
 * with `base_url`) and appends /v1beta/models/...
 */
export interface SnippetInput {
  origin: string;
  key: string;
  model: string;
}

export interface Snippet {
  id: string;
  /** Shown above the block: "Python", "TypeScript", "OpenAI protocol"… (not translated: names). */
  title: string;
  language: 'sh' | 'toml' | 'json' | 'python' | 'ts';
  code: string;
}

export const CLIENT_TABS = [
  'claude-code',
  'codex',
  'gemini-cli',
  'openai-sdk',
  'anthropic-sdk',
  'google-sdk',
  'curl',
] as const;
export type ClientTab = (typeof CLIENT_TABS)[number];

/** POSIX single quotes: safe for any origin, key or model a user could paste into the page. */
function sh(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A JSON string literal, which is also a valid Python, TypeScript and TOML basic string. */
function str(value: string): string {
  return JSON.stringify(value);
}

function claudeCode({ origin, key, model }: SnippetInput): Snippet[] {
  return [
    {
      id: 'claude-code-env',
      title: 'Shell',
      language: 'sh',
      code: [
        `export ANTHROPIC_BASE_URL=${sh(origin)}`,
        `export ANTHROPIC_API_KEY=${sh(key)}`,
        '# or: export ANTHROPIC_AUTH_TOKEN=... (sent as "Authorization: Bearer"; the proxy accepts both)',
        `export ANTHROPIC_MODEL=${sh(model)}`,
        'claude',
      ].join('\n'),
    },
  ];
}

function codex({ origin }: SnippetInput): Snippet[] {
  return [
    {
      id: 'codex-config',
      title: '~/.codex/config.toml',
      language: 'toml',
      code: [
        '# Without `model`, Codex sends its own default model id and the model mapping routes it.',
        'model_provider = "bm"',
        '',
        '[model_providers.bm]',
        'name = "Better Manager"',
        `base_url = ${str(`${origin}/v1`)}`,
        'env_key = "BM_API_KEY"',
        'wire_api = "responses"',
      ].join('\n'),
    },
  ];
}

function codexEnv({ key }: SnippetInput): Snippet {
  return {
    id: 'codex-env',
    title: 'Shell',
    language: 'sh',
    code: [`export BM_API_KEY=${sh(key)}`, 'codex'].join('\n'),
  };
}

function geminiCli({ origin, key, model }: SnippetInput): Snippet[] {
  return [
    {
      id: 'gemini-cli-settings',
      title: '~/.gemini/settings.json',
      language: 'json',
      // Both spellings: newer versions read security.auth, older ones selectedAuthType.
      code: JSON.stringify(
        { security: { auth: { selectedType: 'gemini-api-key' } }, selectedAuthType: 'gemini-api-key' },
        null,
        2,
      ),
    },
    {
      id: 'gemini-cli-env',
      title: 'Shell',
      language: 'sh',
      code: [
        `export GOOGLE_GEMINI_BASE_URL=${sh(origin)}`,
        `export GEMINI_API_KEY=${sh(key)}`,
        `gemini -m ${sh(model)}`,
      ].join('\n'),
    },
  ];
}

function openaiSdk({ origin, key, model }: SnippetInput): Snippet[] {
  const baseUrl = `${origin}/v1`;
  return [
    {
      id: 'openai-python',
      title: 'Python',
      language: 'python',
      code: [
        'from openai import OpenAI',
        '',
        `client = OpenAI(base_url=${str(baseUrl)}, api_key=${str(key)})`,
        'reply = client.chat.completions.create(',
        `    model=${str(model)},`,
        '    messages=[{"role": "user", "content": "Hello"}],',
        ')',
        'print(reply.choices[0].message.content)',
      ].join('\n'),
    },
    {
      id: 'openai-ts',
      title: 'TypeScript',
      language: 'ts',
      code: [
        "import OpenAI from 'openai';",
        '',
        `const client = new OpenAI({ baseURL: ${str(baseUrl)}, apiKey: ${str(key)} });`,
        'const reply = await client.chat.completions.create({',
        `  model: ${str(model)},`,
        "  messages: [{ role: 'user', content: 'Hello' }],",
        '});',
        'console.log(reply.choices[0].message.content);',
      ].join('\n'),
    },
  ];
}

function anthropicSdk({ origin, key, model }: SnippetInput): Snippet[] {
  return [
    {
      id: 'anthropic-python',
      title: 'Python',
      language: 'python',
      code: [
        'from anthropic import Anthropic',
        '',
        `client = Anthropic(base_url=${str(origin)}, api_key=${str(key)})`,
        'reply = client.messages.create(',
        `    model=${str(model)},`,
        '    max_tokens=1024,',
        '    messages=[{"role": "user", "content": "Hello"}],',
        ')',
        'print(reply.content[0].text)',
      ].join('\n'),
    },
    {
      id: 'anthropic-ts',
      title: 'TypeScript',
      language: 'ts',
      code: [
        "import Anthropic from '@anthropic-ai/sdk';",
        '',
        `const client = new Anthropic({ baseURL: ${str(origin)}, apiKey: ${str(key)} });`,
        'const reply = await client.messages.create({',
        `  model: ${str(model)},`,
        '  max_tokens: 1024,',
        "  messages: [{ role: 'user', content: 'Hello' }],",
        '});',
        'console.log(reply.content);',
      ].join('\n'),
    },
  ];
}

function googleSdk({ origin, key, model }: SnippetInput): Snippet[] {
  return [
    {
      id: 'google-python',
      title: 'Python',
      language: 'python',
      code: [
        'from google import genai',
        'from google.genai import types',
        '',
        'client = genai.Client(',
        `    api_key=${str(key)},`,
        `    http_options=types.HttpOptions(base_url=${str(origin)}),`,
        ')',
        `reply = client.models.generate_content(model=${str(model)}, contents="Hello")`,
        'print(reply.text)',
      ].join('\n'),
    },
    {
      id: 'google-ts',
      title: 'TypeScript',
      language: 'ts',
      code: [
        "import { GoogleGenAI } from '@google/genai';",
        '',
        `const ai = new GoogleGenAI({ apiKey: ${str(key)}, httpOptions: { baseUrl: ${str(origin)} } });`,
        `const reply = await ai.models.generateContent({ model: ${str(model)}, contents: 'Hello' });`,
        'console.log(reply.text);',
      ].join('\n'),
    },
  ];
}

function curl({ origin, key, model }: SnippetInput): Snippet[] {
  const json = (body: unknown) => sh(JSON.stringify(body));
  return [
    {
      id: 'curl-openai',
      title: 'OpenAI',
      language: 'sh',
      code: [
        `curl ${sh(`${origin}/v1/chat/completions`)} \\`,
        `  -H ${sh(`Authorization: Bearer ${key}`)} \\`,
        "  -H 'content-type: application/json' \\",
        `  -d ${json({ model, messages: [{ role: 'user', content: 'Hello' }] })}`,
      ].join('\n'),
    },
    {
      id: 'curl-anthropic',
      title: 'Anthropic',
      language: 'sh',
      code: [
        `curl ${sh(`${origin}/v1/messages`)} \\`,
        `  -H ${sh(`x-api-key: ${key}`)} \\`,
        "  -H 'anthropic-version: 2023-06-01' \\",
        "  -H 'content-type: application/json' \\",
        `  -d ${json({ model, max_tokens: 1024, messages: [{ role: 'user', content: 'Hello' }] })}`,
      ].join('\n'),
    },
    {
      id: 'curl-gemini',
      title: 'Gemini',
      language: 'sh',
      code: [
        `curl ${sh(`${origin}/v1beta/models/${encodeURIComponent(model)}:generateContent`)} \\`,
        `  -H ${sh(`x-goog-api-key: ${key}`)} \\`,
        "  -H 'content-type: application/json' \\",
        `  -d ${json({ contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] })}`,
      ].join('\n'),
    },
  ];
}

export function snippetsFor(tab: ClientTab, input: SnippetInput): Snippet[] {
  switch (tab) {
    case 'claude-code':
      return claudeCode(input);
    case 'codex':
      return [...codex(input), codexEnv(input)];
    case 'gemini-cli':
      return geminiCli(input);
    case 'openai-sdk':
      return openaiSdk(input);
    case 'anthropic-sdk':
      return anthropicSdk(input);
    case 'google-sdk':
      return googleSdk(input);
    case 'curl':
      return curl(input);
  }
}
