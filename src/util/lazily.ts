/**
 * `build`, run on the first call and remembered. For what is costly to make and not needed to
 * start: the protocols' zod request schemas take some 10 ms each to build, which a process starting
 * to answer /health, or serving other protocols only, should not wait for.
 */
export function lazily<T>(build: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: build() }).value;
}
