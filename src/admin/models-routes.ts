import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { normalizeModelName } from '../models/names.ts';
import { describeDecision, explainModel } from '../models/resolve.ts';
import { parseBody } from './validation.ts';

const MAX_RULES = 1000;

const testBody = z
  .object({
    model: z
      .string()
      .max(512)
      .refine((name) => name.trim() !== '', 'expected a model name'),
    mapping: z
      .array(
        z
          .object({
            match: z.string().min(1, 'expected a model name or glob pattern').max(512),
            target: z.string().min(1, 'expected an upstream model id').max(512),
          })
          .strict(),
      )
      .max(MAX_RULES)
      .optional(),
  })
  .strict();

/**
 * `POST /api/models/test` (the mapping editor's "test a name"): body `{model, mapping?}`, where
 * `mapping` tries rules the editor has not saved yet (default: the saved `models.mapping`; aliases,
 * deprecations and the accounts' model ids are the live ones). Answers
 * `{requested, normalized, upstream, rule, ruleIndex, routed: false, description, known}`: `rule` and
 * `ruleIndex` are null when an alias, an exact id or pass-through decided; background routing is not
 * applied (it depends on the request's content); `known` says whether `upstream` is in the model
 * list clients see.
 */
export const modelsRoutes = (ctx: AppContext): FastifyPluginAsync =>
  async function routes(app) {
    app.post('/models/test', async (request) => {
      const body = parseBody(testBody, request.body);
      const context = ctx.proxy.modelContext();
      const { decision, ruleIndex } = explainModel(body.model, {
        ...context,
        mapping: body.mapping ?? context.mapping,
      });
      const known = ctx.proxy
        .listModels()
        .some((model) => normalizeModelName(model.id) === decision.upstream);
      return {
        requested: decision.requested,
        normalized: decision.normalized,
        upstream: decision.upstream,
        rule: decision.rule ?? null,
        ruleIndex,
        routed: false,
        description: describeDecision(decision),
        known,
      };
    });
  };
