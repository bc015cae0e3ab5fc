import type { z } from 'zod';
import { AdminError } from './errors.ts';

/** Validates a request part with zod; a failure is a 400 naming the first bad field. */
export function parseBody<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.length ? issue.path.join('.') : '';
  const message =
    issue?.code === 'unrecognized_keys' ? `unknown field "${issue.keys.join('", "')}"` : issue?.message;
  throw new AdminError(400, 'invalid_request', path ? `${path}: ${message}` : (message ?? 'Invalid request'));
}
