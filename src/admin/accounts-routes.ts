import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { readImportBody } from '../accounts/import-formats.ts';
import type { AppContext } from '../context.ts';
import { describeVerification } from './account-verify.ts';
import { StorageFullError } from '../store/storage-full.ts';
import { parseBody } from './validation.ts';

const idParams = z.object({ id: z.string().min(1).max(100) });

const patchBody = z
  .object({
    enabled: z.boolean().optional(),
    label: z.string().trim().max(100).nullable().optional(),
    priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
    order: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'Give at least one of enabled, label, priority');

const IMPORT_BODY_LIMIT = 10 * 1024 * 1024;

export interface CooldownView {
  model: string;
  /** ISO time when the account may serve the model again. */
  until: string;
  reason: string;
}

/**
 * `/api/accounts…` of contract.md. Tokens never leave in clear, except through the export.
 * `POST /api/accounts/{id}/verify` is the dashboard's "check again" (a forbidden account that needed
 * validation): the quota refresh path, which re-runs discovery for a forbidden account; answers
 * `{account, outcome: active|forbidden|needs_login|disabled|error, message}`.
 */
export const accountsRoutes = (ctx: AppContext): FastifyPluginAsync =>
  async function routes(app) {
    const service = ctx.accounts.service;
    /** The per-model cooldowns in force ("why is this account skipped?"): they live in the pool, not the store. */
    const cooldownsByAccount = () => {
      const byAccount = new Map<string, CooldownView[]>();
      for (const cooldown of ctx.proxy.pool.cooldowns()) {
        const list = byAccount.get(cooldown.accountId) ?? [];
        list.push({
          model: cooldown.model,
          until: new Date(cooldown.until).toISOString(),
          reason: cooldown.reason,
        });
        byAccount.set(cooldown.accountId, list);
      }
      return byAccount;
    };
    const withCooldowns = <T extends { id: string }>(account: T, byAccount = cooldownsByAccount()) => ({
      ...account,
      cooldowns: byAccount.get(account.id) ?? [],
    });

    app.get('/accounts', async () => {
      const byAccount = cooldownsByAccount();
      return { accounts: service.list().map((account) => withCooldowns(account, byAccount)) };
    });

    app.get('/accounts/export', async (_request, reply) => {
      reply.header('content-disposition', 'attachment; filename="better-manager-accounts.json"');
      reply.header('cache-control', 'no-store');
      return service.exportAll();
    });

    app.get('/accounts/current', async () => ({ account: service.current() ?? null }));

    app.post('/accounts/import', { bodyLimit: IMPORT_BODY_LIMIT }, async (request) => {
      const items = readImportBody(request.body);
      const results = await service.importItems(items);
      const count = (outcome: string) => results.filter((result) => result.outcome === outcome).length;
      const unsaved = results.filter((result) => result.storageFull).length;
      if (unsaved > 0) {
        throw new StorageFullError(
          `The disk holding the data folder is full: ${unsaved} of ${results.length} accounts could not be saved completely. ` +
            'Free some space and import them again; an account imported twice is updated, not duplicated.',
        );
      }
      return { results, created: count('created'), updated: count('updated'), failed: count('failed') };
    });

    app.post('/accounts/refresh', async () => ({ accounts: await service.refreshAll() }));

    app.get('/accounts/:id', async (request) => {
      const { id } = parseBody(idParams, request.params);
      return { account: withCooldowns(service.get(id)) };
    });

    app.patch('/accounts/:id', async (request) => {
      const { id } = parseBody(idParams, request.params);
      const body = parseBody(patchBody, request.body);
      return {
        account: service.patch(id, {
          enabled: body.enabled,
          label: body.label,
          order: body.order ?? body.priority,
        }),
      };
    });

    app.delete('/accounts/:id', async (request, reply) => {
      const { id } = parseBody(idParams, request.params);
      service.remove(id);
      return reply.code(204).send();
    });

    app.post('/accounts/:id/refresh', async (request) => {
      const { id } = parseBody(idParams, request.params);
      return { account: await service.refreshQuota(id) };
    });

    app.post('/accounts/:id/verify', async (request) => {
      const { id } = parseBody(idParams, request.params);
      const before = service.get(id).state;
      const { account, failure } = await service.checkAccount(id);
      return { account: withCooldowns(account), ...describeVerification(account, failure, before) };
    });

    app.post('/accounts/:id/current', async (request) => {
      const { id } = parseBody(idParams, request.params);
      return { account: service.setCurrent(id) };
    });
  };
