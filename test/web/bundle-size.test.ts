/**
 * The dashboard's first load: the entry script and every module it preloads stay within 250 KB
 * gzip, Chart.js is not among them (the pages with charts load it on demand), and nothing in the build
 * refers to a script, style or font elsewhere on the internet.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.ts';

const WEB = join(ROOT, 'dist', 'web');
const BUDGET_BYTES = 250 * 1024;

/** Strings of Chart.js's own code (error messages), which minification keeps as they are. */
const CHART_JS_MARKERS = ['Canvas is already in use', 'Failed to create chart'];

/**
 * URLs that are names, not places anything is loaded from: XML namespace identifiers (React DOM
 * creates SVG and MathML elements with them, SVG data URIs declare them) and the page that React's
 * production error messages point to.
 */
const URL_NAMES = [/^http:\/\/www\.w3\.org\//, /^https:\/\/react\.dev\/errors\//];

/**
 * Hosts that are not on the internet: this computer, and the names reserved for examples (RFC 2606),
 * which form placeholders use.
 */
const NOT_INTERNET =
  /^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1?\]|(.+\.)?example(\.(com|org|net))?|.+\.(localhost|test|invalid))$/i;

/** Licence comments may name their project's website; they are text, not references. */
const LICENCE_COMMENT = /\/\*(?:![\s\S]*?|[^!][\s\S]*?@(?:license|preserve)[\s\S]*?)\*\//g;

/**
 * Every absolute URL in `text` whose host is a place on the internet. A URL whose host the code
 * fills in at run time (`http://${host}`) is the server's own address, not a fixed elsewhere.
 */
function internetUrls(text: string): string[] {
  const found: string[] = [];
  for (const match of text
    .replace(LICENCE_COMMENT, '')
    .matchAll(/https?:\/\/(?:[^\s/@"'`]*@)?([\w.-]+|\[[\w:]*\])[^\s"'`)<>\\]*/g)) {
    const [url, host] = match as unknown as [string, string];
    if (URL_NAMES.some((name) => name.test(url)) || NOT_INTERNET.test(host)) continue;
    found.push(url);
  }
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The scripts a first visit loads: the module entry and the modules index.html preloads. */
function initialScripts(html: string): string[] {
  const entries = [...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map(
    (m) => m[1]!,
  );
  return [...new Set([...entries, ...preloads])];
}

describe('dashboard bundle', () => {
  let html: string;
  let scripts: { path: string; code: string }[];

  beforeAll(() => {
    // Skipped by the script itself when dist/web is newer than web/.
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs')], {
      cwd: ROOT,
      env: { ...process.env, BM_BUILD_QUIET: '1' },
      stdio: 'inherit',
    });
    html = readFileSync(join(WEB, 'index.html'), 'utf8');
    scripts = initialScripts(html).map((src) => ({
      path: src,
      code: readFileSync(join(WEB, src.replace(/^\//, '')), 'utf8'),
    }));
  }, 180_000);

  it('loads at most 250 KB of gzipped JavaScript at first', () => {
    expect(scripts.length).toBeGreaterThan(0);
    const sizes = scripts.map(({ path, code }) => ({ path, gzip: gzipSync(code, { level: 9 }).length }));
    const total = sizes.reduce((sum, { gzip }) => sum + gzip, 0);
    console.log(
      `initial dashboard JS: ${(total / 1024).toFixed(1)} KB gzip in ${sizes.length} file(s) ` +
        `(${sizes.map(({ path, gzip }) => `${path} ${(gzip / 1024).toFixed(1)} KB`).join(', ')}); budget 250 KB`,
    );
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('keeps Chart.js out of the first load', () => {
    // The markers must really be Chart.js's, or their absence would prove nothing.
    const chartJs = readFileSync(join(ROOT, 'node_modules', 'chart.js', 'dist', 'chart.js'), 'utf8');
    for (const marker of CHART_JS_MARKERS) expect(chartJs).toContain(marker);
    // ...and survive minification: the chunk the chart pages load on demand holds them.
    const chartChunks = filesUnder(join(WEB, 'assets')).filter((file) => {
      const code = file.endsWith('.js') ? readFileSync(file, 'utf8') : '';
      return CHART_JS_MARKERS.every((marker) => code.includes(marker));
    });
    expect(chartChunks.length).toBeGreaterThan(0);
    for (const { path, code } of scripts) {
      for (const marker of CHART_JS_MARKERS)
        expect(code.includes(marker), `${marker} in ${path}`).toBe(false);
    }
  });

  it('references nothing outside the server: scripts, styles and fonts are all local', () => {
    const foreign: string[] = [];
    for (const file of filesUnder(WEB)) {
      if (!/\.(html|js|mjs|css|svg|json|webmanifest)$/.test(file)) continue;
      const text = readFileSync(file, 'utf8');
      for (const url of internetUrls(text)) foreign.push(`${relative(WEB, file)}: ${url}`);
      // What a style sheet loads (fonts, images, other sheets): inline data or files of the build.
      if (file.endsWith('.css')) {
        for (const [, target] of text.matchAll(/(?:url\(\s*|@import\s+)["']?([^"')\s]+)/g)) {
          const local = target!.startsWith('data:') || !/^([a-z][\w+.-]*:|\/\/)/i.test(target!);
          if (!local) foreign.push(`${relative(WEB, file)}: ${target}`);
        }
      }
    }
    expect(foreign).toEqual([]);
    // Every tag of index.html points into the build.
    for (const [, reference] of html.matchAll(/\b(?:src|href)="([^"]+)"/g)) {
      expect(reference, reference).toMatch(/^\/(?!\/)/);
    }
  });
});
