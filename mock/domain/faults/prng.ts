// The fault rules' seeded randomness: mulberry32 (Tommy Ettinger's 32-bit generator, public
// domain), small and well known, so a schedule replays from its seed alone in any runtime.

/** A generator of uniform numbers in [0, 1), deterministic for a seed. */
export type Prng = () => number;

/** mulberry32 seeded with a 32-bit unsigned integer. */
export function mulberry32(seed: number): Prng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A rule's seed when it gives none: the registry's seed mixed with the rule's place (its
 * ordinal), so two rules on one `faults_seed` draw independent sequences. The mix is
 * splitmix32's finalizer, a bijection: every (seed, ordinal) gives its own seed.
 */
export function deriveSeed(seed: number, ordinal: number): number {
  let z = (seed + Math.imul(ordinal, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * The draws of a rule's `index`th matching request when the counts are shared across
 * instances (counter-based: a function of the seed and the shared index alone, so any
 * instance draws what one instance would for that index). A probability schedule takes the
 * first (store/redis-fault-counts.ts draws the same one in Lua), a latency the next.
 */
export const sharedDraws = (seed: number, index: number): Prng => mulberry32(deriveSeed(seed, index));

/** A uniform integer in [min, max], both included. */
export const uniformInt = (next: Prng, min: number, max: number) => min + Math.floor(next() * (max - min + 1));

/**
 * A lognormal draw with the given median and sigma (the normal's standard deviation), by
 * Box-Muller from two uniforms of `next`: median * e^(sigma * z).
 */
export function lognormal(next: Prng, median: number, sigma: number): number {
  const u1 = 1 - next(); // (0, 1]: log(0) is -Infinity
  const u2 = next();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return median * Math.exp(sigma * z);
}
