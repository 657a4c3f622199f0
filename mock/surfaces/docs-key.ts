// Which key /docs pre-authorizes, so "Try it out" answers at the first click: the admin test
// fixture, when the config has it. Apart from the docs router (and Express) so the CLI's
// banner can say so without loading them.
import type { MockConfig } from '../config/config';

/** The well-known active admin test key /docs pre-authorizes, or undefined when the config has none. */
export function docsPreauthorizedKey(config: Pick<MockConfig, 'keys'>): string | undefined {
  return config.keys.find((k) => k.well_known_secret && k.mode === 'test' && k.status === 'active' && k.permissions.includes('admin'))?.well_known_secret;
}
