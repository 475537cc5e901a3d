import { type OrgUnitKind, OrgUnitKindLabels } from '../../../../contracts/org.ts';
import { inScope, type Scope } from '../../../http/policy.ts';

/** The fields of a unit that name resolution needs. */
export type IndexedUnit = {
  id: string;
  parentId: string | null;
  path: string;
  name: string;
  kind: string;
  divisionCode: string | null;
  isActive: boolean;
};

export type Resolved<T> = { unit: T; error?: undefined } | { unit?: undefined; error: string };

const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

/**
 * Finds units by what people write in Excel: a name ('朝阳社区'), a name with its ancestors
 * ('新华街道/朝阳社区'), or a GB/T 2260 区划代码 ('990102001001'). Only active units are found.
 */
export class UnitIndex<T extends IndexedUnit = IndexedUnit> {
  private readonly byId = new Map<string, T>();
  private readonly byName = new Map<string, T[]>();
  private readonly byCode = new Map<string, T>();

  constructor(units: T[]) {
    for (const u of units) {
      this.byId.set(u.id, u);
      if (!u.isActive) continue;
      const k = norm(u.name);
      this.byName.set(k, [...(this.byName.get(k) ?? []), u]);
      if (u.divisionCode) this.byCode.set(u.divisionCode, u);
    }
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  /** Active units with this name. */
  named(name: string): T[] {
    return this.byName.get(norm(name)) ?? [];
  }

  /** Any unit (active or not) holding this 区划代码. */
  withCode(code: string): T | undefined {
    return this.byCode.get(code);
  }

  /** Names of the ancestors of a unit, root first (the root itself excluded). */
  ancestorNames(u: T): string[] {
    return u.path
      .split('/')
      .filter(Boolean)
      .slice(1, -1)
      .map((id) => this.byId.get(id)?.name ?? '');
  }

  /** 'A/B/C' → active units named C whose ancestors include A then B. */
  private byPath(ref: string): T[] {
    const parts = ref.split(/[/／>＞]/).map(norm).filter(Boolean);
    const last = parts.pop() ?? '';
    return this.named(last).filter((u) => {
      const names = this.ancestorNames(u).map(norm);
      let i = 0;
      for (const n of names) if (i < parts.length && (n === parts[i] || n.endsWith(parts[i]))) i++;
      return i === parts.length;
    });
  }

  /**
   * Resolves a reference to exactly one active unit of the given kinds inside the scope, or
   * explains in Chinese why not (unknown, wrong kind, outside the scope, ambiguous).
   */
  resolve(ref: string, opts: { kinds?: readonly OrgUnitKind[]; scope?: Scope; what: string }): Resolved<T> {
    const text = ref.trim();
    let found: T[];
    if (/^\d{6}(\d{3}(\d{3})?)?$/.test(text)) {
      const u = this.byCode.get(text);
      found = u?.isActive ? [u] : [];
    } else if (/[/／>＞]/.test(text)) {
      found = this.byPath(text);
    } else {
      found = this.named(text);
    }
    if (!found.length) return { error: `${opts.what}「${text}」不存在或已停用` };
    if (opts.kinds) {
      const kinds = opts.kinds;
      const ofKind = found.filter((u) => kinds.includes(u.kind as OrgUnitKind));
      if (!ofKind.length) return { error: `「${text}」不是${kinds.map((k) => OrgUnitKindLabels[k]).join('或')}` };
      found = ofKind;
    }
    if (opts.scope) {
      const scope = opts.scope;
      const inside = found.filter((u) => inScope(scope, u.path));
      if (!inside.length) return { error: `${opts.what}「${text}」不在您的管辖范围内` };
      found = inside;
    }
    if (found.length > 1) {
      const hints = found
        .slice(0, 3)
        .map((u) => this.ancestorNames(u).slice(-1)[0] ?? '')
        .filter(Boolean)
        .map((p) => `${p}/${text}`);
      return { error: `${opts.what}「${text}」有 ${found.length} 个重名单位，请写成“上级/名称”（如 ${hints.join('、')}）或填写区划代码` };
    }
    return { unit: found[0] };
  }
}
