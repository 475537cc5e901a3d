import type { z } from 'zod';
import type { ImportMode, ImportRowError } from '../../../../contracts/org-import.ts';
import { fieldLabel, type ImportKind } from '../../../../domain/excel-headers.ts';
import type { Executor } from '../../../db/client.ts';
import type { RequestContext } from '../../../http/actor.ts';
import type { Scope } from '../../../http/policy.ts';
import type { Crypto } from '../../../lib/crypto.ts';

/** One data row of the sheet: its Excel row number and field → cell text. */
export type SourceRow = { row: number; raw: Record<string, string> };

/** What validating a row gives: errors to show, or a plan to write. */
export type RowOutcome<P> = {
  row: number;
  data: Record<string, string>;
  errors: ImportRowError[];
  action: 'insert' | 'update';
  plan: P;
};

export type ImportEnv = {
  db: Executor;
  crypto: Crypto;
  ctx: RequestContext;
  mode: ImportMode;
  /** the actor's write scope: every written record must lie inside it */
  scope: Scope;
};

export type WriteCounts = { inserted: number; updated: number };

export type KindImporter<P> = {
  validate(env: ImportEnv, rows: SourceRow[]): Promise<RowOutcome<P>[]>;
  /** writes valid outcomes inside the caller's transaction, auditing each record */
  write(env: ImportEnv, outcomes: RowOutcome<P>[]): Promise<WriteCounts>;
};

/** Collects a row's errors with the Chinese column name of each field. */
export class RowErrors {
  readonly list: ImportRowError[] = [];
  constructor(private readonly kind: ImportKind) {}
  add(field: string, message: string): void {
    if (this.list.some((e) => e.field === field && e.message === message)) return;
    this.list.push({ field, label: field ? fieldLabel(this.kind, field) : '', message });
  }
  has(field?: string): boolean {
    return field === undefined ? this.list.length > 0 : this.list.some((e) => e.field === field);
  }
}

/**
 * Checks a cell with a contract field schema (reusing contracts/ messages); '' means absent.
 * Returns the parsed value, or undefined after recording the error.
 */
export function checkField<S extends z.ZodType>(errs: RowErrors, field: string, schema: S, value: unknown): z.infer<S> | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  errs.add(field, r.error.issues[0]?.message ?? '格式不正确');
  return undefined;
}

export const blankToNull = (s: string | undefined): string | null => (s && s.trim() !== '' ? s.trim() : null);

/** Records a repeat of a key within the file on the later row: "与第 5 行重复". */
export class FileDuplicates {
  private readonly seen = new Map<string, number>();
  check(errs: RowErrors, field: string, key: string | null, row: number, what: string): void {
    if (!key) return;
    const first = this.seen.get(key);
    if (first !== undefined) errs.add(field, `${what}与第 ${first} 行重复`);
    else this.seen.set(key, row);
  }
}
