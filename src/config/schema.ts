import { z } from 'zod';

/**
 * Every setting of the product, with its default. One schema validates every source
 * (flags, environment, config file, settings stored from the dashboard), so a bad value
 * is always reported with the key it belongs to.
 */

const seconds = (max: number) => z.number().int().min(1).max(max);

export const DEFAULT_UPSTREAM_URLS = [
  'https://daily-cloudcode-pa.sandbox.googleapis.com',
  'https://daily-cloudcode-pa.googleapis.com',
  'https://cloudcode-pa.googleapis.com',
];

/** Antigravity's public installed-app OAuth client (published in every Antigravity client). */
export const DEFAULT_OAUTH_CLIENT_ID =
  '1071006060591-tmhssin2h21lcre235vtolojh4g403ep.apps.googleusercontent.com';
export const DEFAULT_OAUTH_CLIENT_SECRET = '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';

export const SCHEDULING_MODES = ['sticky', 'balance', 'round-robin', 'quota-first', 'current-first'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

const modelRule = z
  .object({
    match: z.string().min(1, 'expected a model name or glob pattern'),
    target: z.string().min(1, 'expected an upstream model id'),
  })
  .strict();

/**
 * Popular client model names → the best current upstream id of the same class. First match wins, so
 * narrower patterns (image, mini, lite) come before their family's catch-all. An id the accounts report
 * never reaches these rules (src/models/resolve.ts), so `gemini-*` globs cannot rewrite a current id.
 */
export const DEFAULT_MODEL_MAPPING: z.infer<typeof modelRule>[] = [
  { match: 'claude-opus-*', target: 'claude-opus-4-6-thinking' },
  { match: 'claude-*-opus*', target: 'claude-opus-4-6-thinking' },
  { match: 'claude-sonnet-*', target: 'claude-sonnet-4-6' },
  { match: 'claude-*-sonnet*', target: 'claude-sonnet-4-6' },
  { match: 'claude-haiku-*', target: 'gemini-3-flash' },
  { match: 'claude-*-haiku*', target: 'gemini-3-flash' },
  { match: 'claude-*', target: 'claude-sonnet-4-6' },
  { match: 'gpt-image-*', target: 'gemini-3.1-flash-image' },
  { match: 'dall-e-*', target: 'gemini-3.1-flash-image' },
  { match: 'gpt-oss-*', target: 'gpt-oss-120b-medium' },
  { match: 'gpt-*-nano*', target: 'gemini-3.1-flash-lite' },
  { match: 'gpt-*-mini*', target: 'gemini-3-flash' },
  { match: 'gpt-3.5*', target: 'gemini-3-flash' },
  { match: 'gpt-*', target: 'gemini-pro-agent' },
  { match: 'chatgpt-*', target: 'gemini-pro-agent' },
  { match: 'codex-mini*', target: 'gemini-3-flash' },
  { match: 'o[0-9]*-mini*', target: 'gemini-3-flash' },
  { match: 'o[0-9]*', target: 'gemini-pro-agent' },
  { match: 'gemini*-image*', target: 'gemini-3.1-flash-image' },
  { match: 'gemini*-flash-lite*', target: 'gemini-3.1-flash-lite' },
  { match: 'gemini*-flash*', target: 'gemini-3-flash' },
  { match: 'gemini*-pro*', target: 'gemini-pro-agent' },
];

export const settingsSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1, 'expected a host name or IP address').default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8094),
        adminPassword: z.string().min(8, 'expected a password of at least 8 characters').optional(),
        logLevel: z.enum(LOG_LEVELS).default('info'),
      })
      .strict()
      .prefault({}),
    upstream: z
      .object({
        baseUrls: z.array(httpUrl).min(1, 'expected at least one URL').default(DEFAULT_UPSTREAM_URLS),
        oauthAuthUrl: httpUrl.default('https://accounts.google.com/o/oauth2/v2/auth'),
        oauthTokenUrl: httpUrl.default('https://oauth2.googleapis.com/token'),
        userinfoUrl: httpUrl.default('https://www.googleapis.com/oauth2/v2/userinfo'),
        oauthClientId: z.string().min(1).default(DEFAULT_OAUTH_CLIENT_ID),
        oauthClientSecret: z.string().min(1).default(DEFAULT_OAUTH_CLIENT_SECRET),
        httpProxy: httpUrl.optional(),
        clientVersion: z
          .string()
          .regex(/^\d+\.\d+\.\d+$/, 'expected a version like 1.2.3')
          .default('2.9.1'),
        connectTimeoutSeconds: seconds(600).default(10),
        firstByteTimeoutSeconds: seconds(3600).default(90),
        idleTimeoutSeconds: seconds(3600).default(120),
      })
      .strict()
      .prefault({}),
    proxy: z
      .object({
        apiKeys: z.array(z.string().min(8, 'expected keys of at least 8 characters')).default([]),
        fetchImageUrls: z.boolean().default(true),
        imageUrlMaxMb: z.number().min(1).max(100).default(20),
        responsesStoreHours: z
          .number()
          .min(0)
          .max(24 * 30)
          .default(24),
        responsesStoreMaxEntries: z.number().int().min(10).max(1_000_000).default(1000),
      })
      .strict()
      .prefault({}),
    scheduling: z
      .object({
        mode: z.enum(SCHEDULING_MODES).default('sticky'),
        maxWaitSeconds: z.number().int().min(0).max(600).default(30),
        stickyTtlSeconds: seconds(7 * 24 * 3600).default(3600),
        stickyMaxEntries: z.number().int().min(100).max(1_000_000).default(10_000),
      })
      .strict()
      .prefault({}),
    retry: z
      .object({
        maxAttempts: z.union([z.literal('auto'), z.number().int().min(1).max(50)]).default('auto'),
        budgetSeconds: seconds(3600).default(120),
      })
      .strict()
      .prefault({}),
    quotaProtection: z
      .object({
        enabled: z.boolean().default(true),
        thresholdPercent: z.number().min(0).max(100).default(10),
      })
      .strict()
      .prefault({}),
    refresh: z
      .object({
        quotaIntervalMinutes: z
          .number()
          .int()
          .min(0)
          .max(24 * 60)
          .default(10),
        concurrency: z.number().int().min(1).max(32).default(4),
      })
      .strict()
      .prefault({}),
    logging: z
      .object({
        bodies: z.boolean().default(false),
        bodyMaxKb: z.number().int().min(1).max(1024).default(64),
        retentionDays: z.number().int().min(1).max(3650).default(7),
        retentionMaxRows: z.number().int().min(1000).max(10_000_000).default(100_000),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        bodyMb: z.number().min(1).max(1024).default(100),
        requestTimeoutSeconds: seconds(24 * 3600).default(600),
      })
      .strict()
      .prefault({}),
    models: z
      .object({
        mapping: z.array(modelRule).default(DEFAULT_MODEL_MAPPING),
        aliases: z.record(z.string().min(1), z.string().min(1)).default({}),
      })
      .strict()
      .prefault({}),
    routing: z
      .object({
        background: z
          .object({
            enabled: z.boolean().default(true),
            model: z.string().min(1).default('gemini-3-flash'),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    ui: z
      .object({
        language: z.enum(['en', 'zh-CN']).default('en'),
        theme: z.enum(['light', 'dark', 'system']).default('system'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;

/** A partial settings tree as given by one source (every level optional). */
export type SettingsLayer = { [key: string]: unknown };

export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}
