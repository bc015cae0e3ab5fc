import { describe, expect, it } from 'vitest';
import { findSecrets, passwordsInSources } from '../helpers/secret-scan.ts';

describe('the secret scan of the test run logs', () => {
  it('finds every secret shape the tests handle, and reports it masked', () => {
    const leaked = [
      'refresh 1//0gAbCdEfGhIjKlMnOpQrStUvWxYz0123',
      'access ya29.a0AbCdEfGhIjKlMnOpQrStUvWxYz',
      `key bm-${'k'.repeat(32)}`,
      'secret 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',
      'cookie bm_session=abcdefghijklmnopqrstuvwxyz',
      'password correct horse battery',
    ].join('\n');
    const findings = findSecrets(leaked, 'app.log', ['correct horse battery']);
    expect(findings.map((finding) => finding.kind)).toEqual([
      'refresh token',
      'access token',
      'client API key',
      'OAuth client secret',
      'session cookie',
      'password',
    ]);
    for (const finding of findings) expect(finding.excerpt).toMatch(/…\(\d+ chars\)$/);
    expect(JSON.stringify(findings)).not.toContain('horse battery');
  });

  it('passes masked forms and redactions', () => {
    const clean =
      '{"authorization":"[redacted]","refreshToken":"[redacted]","key":"bm-abc1…","account":"al***@gmail.com"}';
    expect(findSecrets(clean, 'app.log', ['correct horse battery'])).toEqual([]);
  });

  it('collects the literal passwords written in test sources', () => {
    const source = `startDemo({ adminPassword: 'correct horse battery' }); env.BETTER_MANAGER_ADMIN_PASSWORD = "s3cret-pass"; const p = \`\${x}\`;`;
    expect(passwordsInSources([source]).sort()).toEqual(['correct horse battery', 's3cret-pass']);
  });
});
