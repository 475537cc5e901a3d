import type { Config } from './config.ts';
import type { Database, Db } from './db/client.ts';
import type { Crypto } from './lib/crypto.ts';
import type { Storage } from './lib/storage.ts';

/** What modules need from the outside world; built once in main.ts (or a test) and passed down. */
export type Deps = {
  config: Config;
  database: Database;
  db: Db;
  crypto: Crypto;
  storage: Storage;
  /** true when the demo city was seeded: no forced password change, demo banner in the UI */
  isDemo: boolean;
};
