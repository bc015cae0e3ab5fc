/**
 * Glob patterns of `models.mapping` (`gpt-4*`, `claude-?-opus`, `o[0-9]*`, `[!a]`) as anchored,
 * case-insensitive regular expressions. A pattern without `*`, `?` or `[` is an exact name.
 */

const GLOB_CHAR = /[*?[]/;
const REGEXP_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

export function isGlob(pattern: string): boolean {
  return GLOB_CHAR.test(pattern);
}

/** Index of the `]` closing the class opened at `start`, or -1 (then the `[` is literal, as in POSIX). */
function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '!' || pattern[i] === '^') i++;
  // A `]` right after the opening (or after the negation) belongs to the class.
  if (pattern[i] === ']') i++;
  return pattern.indexOf(']', i);
}

function classSource(body: string): string {
  let negate = '';
  let rest = body;
  if (rest.startsWith('!') || rest.startsWith('^')) {
    negate = '^';
    rest = rest.slice(1);
  }
  return `[${negate}${rest.replace(/[\\\]^[]/g, '\\$&')}]`;
}

export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      // Collapsing runs of stars keeps a pattern like `a**b` from backtracking twice as much.
      if (!source.endsWith('.*')) source += '.*';
    } else if (ch === '?') {
      source += '.';
    } else if (ch === '[') {
      const end = classEnd(pattern, i);
      if (end === -1) {
        source += '\\[';
      } else {
        source += classSource(pattern.slice(i + 1, end));
        i = end;
      }
    } else {
      source += ch.replace(REGEXP_SPECIAL, '\\$&');
    }
  }
  try {
    return new RegExp(`^${source}$`, 'i');
  } catch {
    // A bad class such as `[z-a]` must not take every request down: the rule then matches only its own text.
    return new RegExp(`^${pattern.replace(REGEXP_SPECIAL, '\\$&')}$`, 'i');
  }
}
