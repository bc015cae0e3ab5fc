import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/config/schema.ts';
import { isBackgroundRequest, routeModel, type RequestFeatures } from '../../src/models/background.ts';
import { resolveModel, type ResolveContext } from '../../src/models/resolve.ts';

const BILLING = 'x-anthropic-billing-header: cc_version=2.1.220.a1b; cc_entrypoint=cli; cch=3f2a1;';
const CC_IDENTITY = "You are Claude Code, Anthropic's official CLI for Claude.";
const CC_HEADERS = { 'user-agent': 'claude-cli/2.1.220 (external, cli)', 'x-app': 'cli' };
const CC_MAIN_PROMPT = `You are an interactive CLI tool that helps users with software engineering tasks. Use the instructions below and the tools available to you to assist the user.

# Committing changes with git
When the user asks you to create a new git commit, follow these steps carefully: ...

# Creating pull requests
Use the gh command via the Bash tool for ALL GitHub-related tasks.
1. Create PR using gh pr create with the format below. Keep the PR title short (under 70 characters).
gh pr create --title "the pr title" --body "..."`;
const REMINDER =
  "<system-reminder>\nAs you answer the user's questions, you can use the following context:\n# claudeMd\n...\n</system-reminder>";
const CONVERSATION =
  'User: the login button does nothing on mobile\n\nClaude: I found the handler in src/login.ts and fixed the touch event.';

function features(overrides: Partial<RequestFeatures>): RequestFeatures {
  return { protocol: 'anthropic', systemTexts: [], userTexts: [], toolCount: 0, ...overrides };
}

describe('isBackgroundRequest: Claude Code helper requests', () => {
  const positives: [name: string, features: RequestFeatures, reason: string][] = [
    [
      'topic detection (2.x)',
      features({
        systemTexts: [
          BILLING,
          CC_IDENTITY,
          "Analyze if this message indicates a new conversation topic. If it does, extract a 2-3 word title that captures the new topic. Format your response as a JSON object with two fields: 'isNewTopic' (boolean) and 'title' (string, or null if isNewTopic is false). Only include these fields, no other text. ONLY generate the JSON object, no other text (eg. no markdown).",
        ],
        userTexts: ['fix the login bug on mobile', 'fix the login bug on mobile'],
        maxTokens: 512,
        headers: CC_HEADERS,
      }),
      'claude-code topic detection',
    ],
    [
      'conversation title (0.2, summary system prompt)',
      features({
        systemTexts: [
          'Summarize this coding conversation in under 50 characters.\nCapture the main task, key files, problems addressed, and current status.',
        ],
        userTexts: [
          `Please write a 5-10 word title the following conversation:\n\n${CONVERSATION}\n\nRespond with the title for the conversation and nothing else.`,
        ],
        maxTokens: 512,
      }),
      'claude-code conversation summary',
    ],
    [
      'session title (2.1, structured output, large max_tokens)',
      features({
        systemTexts: [
          BILLING,
          CC_IDENTITY,
          'Generate a concise, sentence-case title (3-7 words) that captures the main topic or goal of this coding session. The title should be clear enough that the user recognizes the session in a list.\n\nReturn JSON with a single "title" field.',
        ],
        userTexts: [CONVERSATION],
        maxTokens: 32_000,
      }),
      'claude-code session title',
    ],
    [
      'session title and branch',
      features({
        systemTexts: [
          'You are coming up with a succinct title and git branch name for a coding session based on the provided description.',
        ],
        userTexts: ['<description>fix the login button</description>'],
      }),
      'claude-code session title',
    ],
    [
      '/rename session name',
      features({
        systemTexts: [
          'Generate a short kebab-case name (2-4 words) that captures the main topic of this conversation. Use lowercase words separated by hyphens.',
        ],
        userTexts: [CONVERSATION],
      }),
      'claude-code session name',
    ],
    [
      'prompt suggestion (keeps the main tools)',
      features({
        systemTexts: [BILLING, CC_IDENTITY, CC_MAIN_PROMPT],
        userTexts: [
          'fix the login bug',
          "[SUGGESTION MODE: Suggest what the user might naturally type next into Claude Code.]\n\nFIRST: Look at the user's recent messages and original request.",
        ],
        toolCount: 18,
        maxTokens: 32_000,
      }),
      'claude-code prompt suggestion',
    ],
    [
      'prompt suggestion after a system reminder',
      features({
        systemTexts: [BILLING, CC_IDENTITY, CC_MAIN_PROMPT],
        userTexts: [
          'fix the login bug',
          `${REMINDER}\n[SUGGESTION MODE: Suggest what the user might naturally type next.]`,
        ],
        toolCount: 18,
        maxTokens: 32_000,
      }),
      'claude-code prompt suggestion',
    ],
    [
      'away summary',
      features({
        systemTexts: [BILLING, CC_IDENTITY, CC_MAIN_PROMPT],
        userTexts: [
          'fix the login bug',
          'The user stepped away and is coming back. Recap in under 40 words, 1-2 plain sentences, no markdown.',
        ],
        toolCount: 18,
        maxTokens: 128_000,
      }),
      'claude-code away summary',
    ],
    [
      'sub-agent warm-up',
      features({
        systemTexts: [BILLING, CC_IDENTITY, 'You are a file search specialist for Claude Code.'],
        userTexts: ['Warmup', 'Warmup'],
        toolCount: 9,
        maxTokens: 32_000,
        headers: CC_HEADERS,
      }),
      'claude-code warmup',
    ],
    ['quota probe', features({ userTexts: ['quota', 'quota'], maxTokens: 1 }), 'claude-code quota probe'],
  ];

  it.each(positives)('%s', (_name, input, reason) => {
    expect(isBackgroundRequest(input)).toEqual({ background: true, reason });
  });
});

describe('isBackgroundRequest: title requests from other clients', () => {
  const positives: [name: string, features: RequestFeatures][] = [
    [
      'Open WebUI title task',
      features({
        protocol: 'openai',
        userTexts: [
          'what is a monad',
          '### Task:\nGenerate a concise, 3-5 word title with an emoji summarizing the chat history.\n### Guidelines:\n- The title should clearly represent the main theme.',
        ],
        maxTokens: 50,
      }),
    ],
    [
      'LibreChat title prompt',
      features({
        protocol: 'openai',
        systemTexts: [
          'Please generate a concise, 5-word-or-less title for the conversation, using its same language, with no punctuation.',
        ],
        userTexts: [CONVERSATION],
        maxTokens: 100,
      }),
    ],
    [
      'Gemini client asking for a chat title',
      features({
        protocol: 'gemini',
        userTexts: ['Give me a short title for this chat:\n\n' + CONVERSATION],
        maxTokens: 64,
      }),
    ],
    [
      'en dash in the word count',
      features({
        userTexts: [`Please write a 5–10 word title for the following conversation:\n\n${CONVERSATION}`],
        maxTokens: 512,
      }),
    ],
  ];

  it.each(positives)('%s', (_name, input) => {
    expect(isBackgroundRequest(input)).toEqual({
      background: true,
      reason: `title request (no tools, max_tokens ${input.maxTokens})`,
    });
  });
});

describe('isBackgroundRequest: ordinary requests stay where they are', () => {
  const negatives: [name: string, features: RequestFeatures][] = [
    [
      'Claude Code main turn (PR-title instructions in the system prompt)',
      features({
        systemTexts: [BILLING, CC_IDENTITY, CC_MAIN_PROMPT],
        userTexts: [`${REMINDER}\nfix the bug`, `${REMINDER}\nfix the bug`],
        toolCount: 17,
        maxTokens: 32_000,
        headers: CC_HEADERS,
      }),
    ],
    [
      'Claude Code main turn asking for a PR title',
      features({
        systemTexts: [BILLING, CC_IDENTITY, CC_MAIN_PROMPT],
        userTexts: ['fix the bug', 'now write a short title for the PR and open it'],
        toolCount: 17,
        maxTokens: 32_000,
      }),
    ],
    [
      'Claude Code compaction (the summary replaces the context, quality matters)',
      features({
        systemTexts: ['You are a helpful AI assistant tasked with summarizing conversations.'],
        userTexts: [
          'fix the bug',
          "Your task is to create a detailed summary of the conversation so far, paying close attention to the user's explicit requests and your previous actions.",
        ],
        maxTokens: 20_000,
      }),
    ],
    [
      'Claude Code bash prefix check (a safety decision)',
      features({
        systemTexts: [
          '<policy_spec>\n# Claude Code Code Bash command prefix detection\n\nThis document defines risk levels for actions that the Claude Code agent may take.',
        ],
        userTexts: ['Command: git status'],
        maxTokens: 512,
      }),
    ],
    [
      'topic-detection prompt in a request that carries tools',
      features({
        systemTexts: ['Analyze if this message indicates a new conversation topic.'],
        userTexts: ['hi'],
        toolCount: 3,
      }),
    ],
    [
      'a user quoting the suggestion marker',
      features({
        systemTexts: [CC_MAIN_PROMPT],
        userTexts: ['why does my proxy log show "[SUGGESTION MODE: Suggest what the user might type]"?'],
        toolCount: 17,
        maxTokens: 32_000,
      }),
    ],
    [
      'Codex CLI turn',
      features({
        protocol: 'openai',
        systemTexts: [
          "You are Codex, based on GPT-5. You are running as a coding agent in the Codex CLI on a user's computer.",
        ],
        userTexts: [
          '<environment_context>\n  <cwd>/home/me/repo</cwd>\n  <approval_policy>never</approval_policy>\n  <sandbox_mode>read-only</sandbox_mode>\n</environment_context>',
          'add a --verbose flag to the CLI and write a title for the README',
        ],
        toolCount: 4,
        headers: { 'user-agent': 'codex_cli_rs/0.46.0 (Linux; x86_64)', originator: 'codex_cli_rs' },
      }),
    ],
    [
      'Gemini CLI turn',
      features({
        protocol: 'gemini',
        systemTexts: [
          'You are an interactive CLI agent specializing in software engineering tasks. Your primary goal is to help users safely and efficiently, adhering strictly to the following instructions and utilizing your available tools.',
        ],
        userTexts: [
          "This is the Gemini CLI. We are setting up the context for our chat.\nToday's date is Monday, August 24, 2026.",
          'explain what src/app.ts does',
        ],
        toolCount: 12,
      }),
    ],
    [
      'a title request that wants a long answer',
      features({
        protocol: 'openai',
        userTexts: ['Write a title and an outline for my talk on Rust lifetimes'],
        maxTokens: 4096,
      }),
    ],
    [
      'a title request without max_tokens',
      features({ protocol: 'openai', userTexts: ['Suggest a catchy title for my blog post about Rust'] }),
    ],
    [
      'coding about a title component',
      features({
        protocol: 'openai',
        userTexts: ['Create a React component that renders a title and a subtitle'],
        maxTokens: 800,
      }),
    ],
    [
      'a title attribute',
      features({
        protocol: 'openai',
        userTexts: ['Write the title attribute for this link: <a href="/docs">'],
        maxTokens: 300,
      }),
    ],
    [
      'a question about titles',
      features({ protocol: 'openai', userTexts: ['What does the HTML <title> element do?'], maxTokens: 200 }),
    ],
    ['a short chat', features({ protocol: 'openai', userTexts: ['What is 2 + 2?'], maxTokens: 16 })],
    [
      '"Warmup" typed into an OpenAI client',
      features({ protocol: 'openai', userTexts: ['Warmup', 'Warmup'], maxTokens: 100 }),
    ],
    [
      '"Warmup" from another Anthropic client',
      features({ userTexts: ['Warmup', 'Warmup'], headers: { 'user-agent': 'Anthropic/Python 0.64.0' } }),
    ],
    ['"quota" with a real max_tokens', features({ userTexts: ['quota', 'quota'], maxTokens: 1024 })],
  ];

  it.each(negatives)('%s', (_name, input) => {
    expect(isBackgroundRequest(input)).toEqual({ background: false });
  });
});

describe('routeModel', () => {
  const routing = defaultSettings().routing.background;
  const context: ResolveContext = {
    mapping: defaultSettings().models.mapping,
    aliases: {},
    deprecated: {},
    upstreamIds: new Set(),
  };
  const opus = resolveModel('claude-opus-4-1-20250805', context);
  const topic = { background: true, reason: 'claude-code topic detection' };

  it('sends background work to the configured model and marks it', () => {
    expect(routeModel(opus, topic, routing)).toEqual({
      ...opus,
      upstream: 'gemini-3-flash',
      routed: true,
      rule: 'background → gemini-3-flash',
      backgroundReason: 'claude-code topic detection',
    });
    expect(routeModel(opus, true, routing)).toMatchObject({ upstream: 'gemini-3-flash', routed: true });
  });

  it('leaves the decision alone when routing is off or the request is not background', () => {
    expect(routeModel(opus, topic, { ...routing, enabled: false })).toBe(opus);
    expect(routeModel(opus, { background: false }, routing)).toBe(opus);
    expect(routeModel(opus, false, routing)).toBe(opus);
  });

  it('does not claim a routing that changes nothing', () => {
    const haiku = resolveModel('claude-haiku-4-5-20251001', context);
    expect(routeModel(haiku, topic, routing)).toBe(haiku);
  });

  it('never swaps an image model for a text model', () => {
    const image = resolveModel('gpt-image-1', context);
    expect(routeModel(image, topic, routing)).toBe(image);
  });

  it('resolves the configured model like a client name when given the context', () => {
    const renamed = { ...context, deprecated: { 'gemini-3-flash': 'gemini-3.6-flash-high' } };
    expect(routeModel(opus, topic, routing, renamed).upstream).toBe('gemini-3.6-flash-high');
    expect(
      routeModel(
        opus,
        topic,
        { enabled: true, model: 'cheap' },
        { ...context, aliases: { cheap: 'gemini-3.1-flash-lite' } },
      ).upstream,
    ).toBe('gemini-3.1-flash-lite');
  });
});
